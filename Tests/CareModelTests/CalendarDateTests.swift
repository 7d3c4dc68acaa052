import Foundation
import Testing
@testable import CareModel

@Suite struct CalendarDateTests {
    @Test func roundTripsThroughDaysSinceEpoch() {
        // Every day from 1900 to 2100 maps to a distinct day count and back.
        let start = CalendarDate(year: 1900, month: 1, day: 1)!.daysSinceEpoch
        let end = CalendarDate(year: 2100, month: 12, day: 31)!.daysSinceEpoch
        var previous: CalendarDate?
        for days in start...end {
            let date = CalendarDate(daysSinceEpoch: days)
            #expect(date.daysSinceEpoch == days)
            #expect(CalendarDate(year: date.year, month: date.month, day: date.day) == date)
            if let previous { #expect(previous < date) }
            previous = date
        }
    }

    @Test func knownDays() {
        #expect(CalendarDate(daysSinceEpoch: 0).description == "1970-01-01")
        #expect(CalendarDate(year: 2000, month: 3, day: 1)!.daysSinceEpoch == 11_017)
        #expect(CalendarDate(daysSinceEpoch: -1).description == "1969-12-31")
        #expect(CalendarDate(year: 2024, month: 2, day: 28)!.adding(days: 1).description == "2024-02-29")
        #expect(CalendarDate(year: 2025, month: 2, day: 28)!.adding(days: 1).description == "2025-03-01")
    }

    @Test func rejectsDaysThatDoNotExist() {
        #expect(CalendarDate(year: 2025, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2025, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2025, month: 13, day: 1) == nil)
        #expect(CalendarDate(year: 1900, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 2000, month: 2, day: 29) != nil)
    }

    @Test func parsesOnlyPlainISODates() {
        #expect(CalendarDate("2025-03-07") == CalendarDate(year: 2025, month: 3, day: 7))
        for bad in ["2025-3-7", "25-03-07", "2025-03-07T00:00", "2025/03/07", "", "2025-02-30", "２０２５-03-07"] {
            #expect(CalendarDate(bad) == nil, "\(bad)")
        }
    }

    @Test func codesAsAnISOString() throws {
        let date = CalendarDate(year: 1956, month: 4, day: 2)!
        let json = try JSONEncoder().encode([date])
        #expect(String(decoding: json, as: UTF8.self) == #"["1956-04-02"]"#)
        #expect(try JSONDecoder().decode([CalendarDate].self, from: json) == [date])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([CalendarDate].self, from: Data(#"["1956-02-30"]"#.utf8))
        }
    }

    @Test func countsCompletedYearsLikeABirthday() {
        let birth = CalendarDate(year: 1960, month: 2, day: 29)!
        #expect(birth.completedYears(on: CalendarDate(year: 2021, month: 2, day: 28)!) == 60)
        #expect(birth.completedYears(on: CalendarDate(year: 2021, month: 3, day: 1)!) == 61)
        #expect(birth.completedYears(on: CalendarDate(year: 2024, month: 2, day: 29)!) == 64)
    }

    @Test func takesTheDayInTheGivenTimeZone() {
        // 2026-11-22 20:30 UTC is already the 23rd in Shanghai.
        let instant = Date(timeIntervalSince1970: 1_795_379_400)
        #expect(CalendarDate(instant, in: TimeZone(identifier: "UTC")!).description == "2026-11-22")
        #expect(CalendarDate(instant, in: TimeZone(identifier: "Asia/Shanghai")!).description == "2026-11-23")
        #expect(CalendarDate(Date(timeIntervalSince1970: -1), in: TimeZone(identifier: "UTC")!).description == "1969-12-31")
    }
}
