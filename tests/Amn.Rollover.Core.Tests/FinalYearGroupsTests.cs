using Amn.Rollover.Core.SchoolYear;
using Xunit;

namespace Amn.Rollover.Core.Tests
{
    /// <summary>
    /// Real naming schemes of Dutch secondary schools: the level is the letters before the year (H5a,
    /// TL4b) or a level word after it (5havo2, 4GT, 4B2), never the class's own letter after it (H4b).
    /// </summary>
    public class FinalYearGroupsTests
    {
        [Theory]
        // havo 5, vwo (atheneum, gymnasium) 6, mavo/vmbo 4: the exam classes
        [InlineData("H5a")] [InlineData("H5")] [InlineData("h5b")] [InlineData("H5k")] [InlineData("5H-1")] [InlineData("5havo2")] [InlineData("havo 5b")] [InlineData("Havo-5")] [InlineData("5 HAVO 1")]
        [InlineData("V6B")] [InlineData("V6")] [InlineData("6V-1")] [InlineData("vwo6a")] [InlineData("6vwo")] [InlineData("A6b")] [InlineData("G6a")] [InlineData("G6k")] [InlineData("atheneum 6")] [InlineData("gymnasium-6b")] [InlineData("6a")] [InlineData("6")]
        [InlineData("M4a")] [InlineData("M4")] [InlineData("4M-1")] [InlineData("mavo 4a")] [InlineData("4mavo1")] [InlineData("4GT")] [InlineData("4gt1")] [InlineData("GT4a")] [InlineData("TL4b")] [InlineData("T4a")]
        [InlineData("B4a")] [InlineData("K4b")] [InlineData("4B2")] [InlineData("4K1")] [InlineData("4BB1")] [InlineData("BB4")] [InlineData("KB4a")] [InlineData("4KBL")] [InlineData("4Bb")] [InlineData("vmbo-4")] [InlineData("vmbo-b 4")] [InlineData("vmbo-tl 4a")]
        [InlineData("Klas H5a")] [InlineData("2026-2027 V6b")]
        public void An_exam_class_is_recognised(string group) => Assert.True(FinalYearGroups.IsFinalYearByName(group), group);

        [Theory]
        // havo/vwo 4 whose class letter is b, k, m or t: not vmbo exam classes
        [InlineData("H4b")] [InlineData("V4b")] [InlineData("A4b")] [InlineData("G4k")] [InlineData("H4m")] [InlineData("V4t")] [InlineData("H4k")] [InlineData("4havo2")] [InlineData("havo 4b")] [InlineData("vwo-4m")]
        // other years of each level
        [InlineData("V5b")] [InlineData("A5k")] [InlineData("5vwo1")] [InlineData("H3b")] [InlineData("H1")] [InlineData("V1b")] [InlineData("1havo")] [InlineData("M3a")] [InlineData("TL3")] [InlineData("3GT")] [InlineData("5B2")] [InlineData("B3a")] [InlineData("2M-1")]
        // names that say nothing of a level: a class letter is not a level
        [InlineData("1A")] [InlineData("Klas 3")] [InlineData("3B")] [InlineData("4b")] [InlineData("4B")] [InlineData("4m")] [InlineData("5a")] [InlineData("Klas 4B")] [InlineData("Klas HE")] [InlineData("2026-2027")] [InlineData("14A")] [InlineData("")]
        public void Another_class_is_not(string group) => Assert.False(FinalYearGroups.IsFinalYearByName(group), group);
    }
}
