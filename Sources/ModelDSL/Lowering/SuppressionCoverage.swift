/// Which lines each `// metalint:ignore` comment of a file covers.
///
/// A comment alone on its line covers the statement or member that begins on the next line (all its lines
/// for a simple statement; only the header of an `if`, `for` or method, so one comment never hides a whole
/// body); past a blank line, a `}` or the rest of an argument list it covers nothing. A trailing comment covers the innermost
/// statement or member whose header holds its line. A whole-file comment covers the file.
enum SuppressionCoverage {
  /// A line holding only a `//` comment.
  static func isCommentLine(_ file: SourceFile, _ line: Int) -> Bool {
    file.lineText(line).drop { $0 == " " || $0 == "\t" }.hasPrefix("//")
  }

  static func lines(of unit: SourceUnit) -> [ModelSuppression] {
    let file = unit.file
    // Spans by start (the outermost first at one start), and by the lines their headers hold.
    let spans = unit.suppressibleSpans.sorted { ($0.range.start, -$0.range.end) < ($1.range.start, -$1.range.end) }
    var headsByLine: [Int: [Int]] = [:]
    for (i, s) in spans.enumerated() {
      let first = file.lineIndex(of: Int(s.headRange.start))
      let last = file.lineIndex(of: Int(s.headRange.end))
      for line in first...last { headsByLine[line, default: []].append(i) }
    }
    func lines(_ r: SourceRange) -> ClosedRange<Int> {
      file.lineIndex(of: Int(r.start))...file.lineIndex(of: max(Int(r.start), Int(r.end) - 1))
    }
    return unit.suppressions.map { c in
      if c.wholeFile { return ModelSuppression(rules: c.rules, range: c.range, lines: nil) }
      let commentLine = file.lineIndex(of: Int(c.range.start))
      var covered: SourceRange?
      if c.standsAlone {
        var lo = 0
        var hi = spans.count
        while lo < hi {
          let mid = (lo + hi) / 2
          if spans[mid].range.start < c.range.end { lo = mid + 1 } else { hi = mid }
        }
        if lo < spans.count {
          // Only comment lines may stand between: not a blank line, a `}` or the rest of an argument list.
          let line = file.lineIndex(of: Int(spans[lo].range.start))
          if line > commentLine, (commentLine + 1..<line).allSatisfy({ isCommentLine(file, $0) }) {
            covered = spans[lo].headRange
          }
        }
      } else {
        covered = headsByLine[commentLine]?.map { spans[$0].headRange }
          .min { ($0.end - $0.start) < ($1.end - $1.start) }
      }
      return ModelSuppression(rules: c.rules, range: c.range, lines: covered.map(lines) ?? (commentLine...commentLine))
    }
  }
}
