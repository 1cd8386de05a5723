import PilotReport
import XCTest

/// Medians, nearest-rank percentiles and histograms of durations.
final class DistributionTests: XCTestCase {
    func testMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        XCTAssertEqual(Distribution([4, 1, 3, 2]).median, 2.5)
        XCTAssertEqual(Distribution([3, 1, 2]).median, 2)
        XCTAssertNil(Distribution([]).median)
    }

    func testP95IsTheNearestRank() {
        let values = (1...100).map(Double.init)
        XCTAssertEqual(Distribution(values).p95, 95)
        XCTAssertEqual(Distribution(Array(values.prefix(10))).p95, 10, "rank ⌈9.5⌉ = 10")
        XCTAssertEqual(Distribution([7]).p95, 7)
        XCTAssertNil(Distribution([]).p95)
        XCTAssertEqual(Distribution(values).maximum, 100)
    }

    func testNonFiniteValuesAreLeftOut() {
        let distribution = Distribution([1, .infinity, .nan, 3])
        XCTAssertEqual(distribution.sorted, [1, 3])
        XCTAssertEqual(distribution.median, 2)
    }

    func testHistogramBinsAreEqualAndTheMaximumFallsInTheLast() {
        XCTAssertEqual(Distribution([0, 1, 2, 3, 4, 10]).histogram(bins: 5), [2, 2, 1, 0, 1], "bins of 2 s")
        XCTAssertEqual(Distribution([2, 2, 2]).histogram(bins: 4), [3, 0, 0, 0], "one value: all in the first bin")
        XCTAssertEqual(Distribution([]).histogram(bins: 3), [0, 0, 0])
        XCTAssertEqual(Distribution([-1e308, 1e308]).histogram(bins: 2), [1, 1], "a span beyond a Double's range does not trap")
    }
}
