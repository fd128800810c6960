using System;
using System.Collections.Generic;
using System.Text;

namespace Amn.Rollover.Core.Files
{
    /// <summary>
    /// Recognises column headers: AMN's own field names and the names Dutch SIS exports use
    /// (Magister, Somtoday, Eduarte, ParnasSys/EDEXML, OneRoster), compared without case, spaces,
    /// dots, underscores and hyphens.
    /// </summary>
    public static class HeaderNames
    {
        private static readonly Dictionary<string, ImportField> Student = Build(
            (ImportField.Number, "deelnemersnummer deelnemernummer deelnemernr nr stamnr stamnrstr stamnummer leerlingnummer leerlingnr llnr llnummer nummer studentnummer studentnr number identifier sourcedid key leerlingid studentid"),
            (ImportField.FirstName, "voornaam roepnaam givenname firstname"),
            (ImportField.FirstNames, "voornamen offvoornamen officielevoornamen"),
            (ImportField.Prefix, "voorvoegsel voorvoegsels tussenvoegsel tussenvoegsels tussenv prefix"),
            (ImportField.LastName, "achternaam familyname lastname geslachtsnaam surname"),
            (ImportField.BirthDate, "geboortedatum gebdatum gebdatumstr birthdate dateofbirth"),
            (ImportField.Gender, "geslacht mv sex gender"),
            (ImportField.Group, "groep klas stamklas stamgroep groepsnaam basisgroep plaatsingsgroep plaatsingsgroepnaam plaatsingsgroepcode class group"),
            (ImportField.CreboNumber, "crebonummer crebo creboelementcode crebocode erkendeopleidingscode opleidingscode"),
            (ImportField.Email, "email emailadres emailschool mail emailaddress"),
            (ImportField.UserName, "gebruikersnaam loginaccountnaam login username gebruiker"));

        private static readonly Dictionary<string, ImportField> Staff = Build(
            (ImportField.UserName, "gebruikersnaam loginaccountnaam login username gebruiker"),
            (ImportField.Code, "code afkorting personeelsnummer personeelscode docentcode medewerkercode docentafkorting medewerkernummer"),
            (ImportField.FirstName, "voornaam roepnaam givenname firstname"),
            (ImportField.FirstNames, "voornamen offvoornamen officielevoornamen"),
            (ImportField.Prefix, "voorvoegsel voorvoegsels tussenvoegsel tussenvoegsels tussenv prefix"),
            (ImportField.LastName, "achternaam familyname lastname geslachtsnaam surname"),
            (ImportField.Email, "email emailadres emailschool mail emailaddress"),
            (ImportField.Roles, "rol rollen role roles"),
            (ImportField.Groups, "klas klassen groep groepen group groups class classes lesgroep lesgroepen"));

        /// <summary>AMN's own field names and the record's property names, for -ColumnMap values.</summary>
        private static readonly Dictionary<string, ImportField> FieldNames = Build(
            (ImportField.Number, "deelnemersnummer number"),
            (ImportField.FirstName, "voornaam firstname"),
            (ImportField.FirstNames, "voornamen firstnames"),
            (ImportField.Prefix, "voorvoegsel prefix"),
            (ImportField.LastName, "achternaam lastname"),
            (ImportField.BirthDate, "geboortedatum birthdate"),
            (ImportField.Gender, "geslacht gender"),
            (ImportField.Group, "groep group"),
            (ImportField.CreboNumber, "crebonummer crebonumber"),
            (ImportField.Email, "email"),
            (ImportField.UserName, "gebruikersnaam username"),
            (ImportField.Code, "code afkorting"),
            (ImportField.Roles, "rol roles"),
            (ImportField.Groups, "klas groups"),
            (ImportField.Ignored, "negeren ignore ignored"));

        /// <summary>Lower case, without spaces, dots, underscores, hyphens and diacritics: "E-mail adres" → "emailadres".</summary>
        public static string Normalize(string header)
        {
            if (header == null) return string.Empty;
            var decomposed = header.Trim().Normalize(NormalizationForm.FormD);
            var builder = new StringBuilder(decomposed.Length);
            foreach (var c in decomposed)
            {
                if (char.IsLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
            }
            return builder.ToString();
        }

        /// <summary>The field a header feeds in a file of that kind, or <see cref="ImportField.Ignored"/>.</summary>
        public static ImportField Recognize(string header, ImportKind kind)
        {
            var table = kind == ImportKind.Student ? Student : Staff;
            return table.TryGetValue(Normalize(header), out var field) ? field : ImportField.Ignored;
        }

        /// <summary>True when the header is known in a file of either kind (used to find the header row).</summary>
        public static bool IsKnown(string header)
        {
            var key = Normalize(header);
            return key.Length > 0 && (Student.ContainsKey(key) || Staff.ContainsKey(key));
        }

        /// <summary>Parses a -ColumnMap value: an AMN field name or a record property name; null when unknown.</summary>
        public static ImportField? ParseFieldName(string name)
        {
            if (string.IsNullOrWhiteSpace(name)) return ImportField.Ignored;
            return FieldNames.TryGetValue(Normalize(name), out var field) ? field : (ImportField?)null;
        }

        /// <summary>The header that AMN itself uses for a field, for messages.</summary>
        public static string AmnName(ImportField field)
        {
            switch (field)
            {
                case ImportField.Number: return "deelnemersnummer";
                case ImportField.FirstName: return "voornaam";
                case ImportField.FirstNames: return "voornamen";
                case ImportField.Prefix: return "voorvoegsel";
                case ImportField.LastName: return "achternaam";
                case ImportField.BirthDate: return "geboortedatum";
                case ImportField.Gender: return "geslacht";
                case ImportField.Group: return "groep";
                case ImportField.CreboNumber: return "crebonummer";
                case ImportField.Email: return "email";
                case ImportField.UserName: return "gebruikersnaam";
                case ImportField.Code: return "code";
                case ImportField.Roles: return "rol";
                case ImportField.Groups: return "klas";
                default: return field.ToString();
            }
        }

        /// <summary>The header names recognised for each field of a kind of file, as compared (see <see cref="Normalize"/>), in the reader's order: for the about topic.</summary>
        public static IReadOnlyList<(ImportField Field, string[] Names)> Synonyms(ImportKind kind)
        {
            var result = new List<(ImportField, string[])>();
            var byField = new Dictionary<ImportField, List<string>>();
            foreach (var entry in kind == ImportKind.Student ? Student : Staff)
            {
                if (!byField.TryGetValue(entry.Value, out var names)) { byField[entry.Value] = names = new List<string>(); result.Add((entry.Value, null)); }
                names.Add(entry.Key);
            }
            return result.ConvertAll(r => (r.Item1, byField[r.Item1].ToArray()));
        }

        private static Dictionary<string, ImportField> Build(params (ImportField Field, string Names)[] entries)
        {
            var table = new Dictionary<string, ImportField>(StringComparer.Ordinal);
            foreach (var (field, names) in entries)
                foreach (var name in names.Split(' '))
                    table[Normalize(name)] = field;
            return table;
        }
    }
}
