// Regenerates the fictional sample exports used by the demo and the README (run by hand:
// npm install xlsx@0.18.5 && node generate-samples.mjs). Every name is made up.
// Last school year: a Magister-style pupil export and a staff list (both ';' CSV, Windows-1252).
// This school year: the pupil export in the same style, and the staff file as xlsx.
import XLSX from 'xlsx';
import { writeFileSync } from 'node:fs';

const first = ['Zoë', 'Daniël', 'Noë', 'Chloë', 'Joëlle', 'Anaïs', 'Thijs', 'Sven', 'Fenna', 'Lotte', 'Bram', 'Emre', 'Sem', 'Julia', 'Mila', 'Tess', 'Luuk', 'Finn', 'Saar', 'Noah'];
const prefix = ['', '', '', 'van', 'de', 'van der', "'t", 'ter'];
const last = ['Jansen', 'Vries', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Bos', 'Mulder', 'Çelik', 'Öztürk', 'Berg', 'Dijk', 'Hendriks', 'Dekker', 'Brouwer'];
const pad = (n) => String(n).padStart(6, '0');
const pupil = (i) => ({
  nr: pad(20210 + i), roep: first[i % first.length], tv: prefix[i % prefix.length], ach: last[(i * 7) % last.length],
  geb: `${1 + (i * 3) % 28}-${1 + (i * 5) % 12}-${2009 + (i % 4)}`, gesl: i % 2 ? 'M' : 'V',
});
const header = 'stamnr;roepnaam;tussenv;achternaam;geb_datum_str;geslacht;klas;email';
const line = (p, klas) => [p.nr, p.roep, p.tv, p.ach, p.geb, p.gesl, klas, `${p.nr}@leerling.example.nl`].join(';');
const cp1252 = (text) => Buffer.from(text.replace(/\n/g, '\r\n'), 'latin1');

// 60 pupils last year in H3a, H3b, V3a (20 each); 4 of them leave, 5 newcomers arrive; everyone moves up.
const lastYearClass = (i) => ['H3a', 'H3b', 'V3a'][Math.floor(i / 20)];
const thisYearClass = (i) => ['H4a', 'H4b', 'V4a'][Math.floor(i / 20)];
const pupils = Array.from({ length: 60 }, (_, i) => pupil(i));
writeFileSync('vorig-jaar-leerlingen.csv', cp1252([header, ...pupils.map((p, i) => line(p, lastYearClass(i)))].join('\n') + '\n'));
const staying = pupils.filter((_, i) => i % 15 !== 7);
const newcomers = Array.from({ length: 5 }, (_, k) => pupil(100 + k));
writeFileSync('leerlingen-2026-2027.csv', cp1252([
  'Export leerlingen schooljaar 2026-2027',
  header,
  ...staying.map((p) => line(p, thisYearClass(pupils.indexOf(p)))),
  ...newcomers.map((p, k) => line(p, ['H4a', 'H4b', 'V4a', 'H4a', 'V4a'][k])),
].join('\n') + '\n'));

const staffHeader = 'gebruikersnaam;afkorting;voornaam;tussenvoegsel;achternaam;rol;klas;klas';
const lastYearStaff = [
  'm.devries@school.example.nl;VRI;Marieke;de;Vries;mentor, docent;H3a;',
  'j.bakker@school.example.nl;BAK;Jan;;Bakker;mentor;H3b;',
  'a.yilmaz@school.example.nl;YIL;Ayşe;;Yılmaz;docent;H3a;V3a',
  'p.jansen@school.example.nl;JAN;Peter;;Jansen;mentor;V3a;',
  'r.smit@school.example.nl;SMI;Renée;;Smit;regievoerder;;',
  's.kok@school.example.nl;KOK;Sanne;;Kok;applicatiebeheerder;;',
  'o.collega@school.example.nl;OUD;Otto;;Collega;mentor;H3b;',
  ...['Kees', 'Fatima', 'Bas', 'Ilse', 'Tom', 'Naima'].map((n, k) => `${n.toLowerCase()}.docent@school.example.nl;D0${k};${n};;Docent;docent;${['H3a', 'H3b', 'V3a'][k % 3]};`),
];
writeFileSync('vorig-jaar-personeel.csv', Buffer.from([staffHeader, ...lastYearStaff].join('\r\n') + '\r\n', 'utf8'));
const ws = XLSX.utils.aoa_to_sheet([
  ['gebruikersnaam', 'afkorting', 'voornaam', 'tussenvoegsel', 'achternaam', 'rol', 'klas', 'klas'],
  ['m.devries@school.example.nl', 'VRI', 'Marieke', 'de', 'Vries', 'mentor, docent', 'H4a', 'H4b'],
  ['j.bakker@school.example.nl', 'BAK', 'Jan', '', 'Bakker', 'mentor', 'H4b', ''],
  ['a.yilmaz@school.example.nl', 'YIL', 'Ayşe', '', 'Yılmaz', 'docent', 'H4a', 'V4a'],
  ['p.jansen@school.example.nl', 'JAN', 'Peter', '', 'Jansen', 'mentor', 'V4a', ''],
  ['r.smit@school.example.nl', 'SMI', 'Renée', '', 'Smit', 'regievoerder', '', ''],
  ['s.kok@school.example.nl', 'KOK', 'Sanne', '', 'Kok', 'applicatiebeheerder', '', ''],
  ['l.nieuw@school.example.nl', 'NIE', 'Lotte', '', 'Nieuwenhuis', 'docent', 'H4a', 'V5x'],
  ...['Kees', 'Fatima', 'Bas', 'Ilse', 'Tom', 'Naima'].map((n, k) => [`${n.toLowerCase()}.docent@school.example.nl`, `D0${k}`, n, '', 'Docent', 'docent', ['H4a', 'H4b', 'V4a'][k % 3], '']),
]);
const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, ws, 'Personeel');
XLSX.writeFile(wb, 'personeel-2026-2027.xlsx', { bookType: 'xlsx' });
