/// Rows of text in aligned columns, as `ls -l` and `ps` print them.
package struct TextTable {
    private var rows: [[String]]

    /// A table with the column headings `header`.
    package init(_ header: [String]) {
        rows = [header]
    }

    /// Appends a row (missing cells are empty).
    package mutating func add(_ row: [String]) {
        rows.append(row)
    }

    /// The table: every column as wide as its widest cell, two spaces
    /// apart, no trailing blanks.
    package var text: String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            let cells = row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(to: widths[column])
            }
            return String(cells.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
        }.joined(separator: "\n")
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
