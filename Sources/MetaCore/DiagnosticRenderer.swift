/// Renders diagnostics the way the Swift compiler's LLVM style does:
///
///     path:line:col: error: message [rule]
///        12 |     out = out + shared_experts(x)
///           |                 ^~~~~~~~~~~~~~
///     path:line:col: note: 'forwardMeta' declared here
///
/// Colour is the caller's decision (only on a terminal, never with `NO_COLOR`).
public struct DiagnosticRenderer: Sendable {
  public var color: Bool
  public var showSnippets: Bool

  public init(color: Bool = false, showSnippets: Bool = true) {
    self.color = color
    self.showSnippets = showSnippets
  }

  public func render(_ d: Diagnostic, in sources: SourceManager) -> String {
    var out = ""
    let loc = sources.location(d.range)
    out += header(loc: loc, severity: d.severity.rawValue, message: d.message, rule: d.rule)
    if showSnippets { out += snippet(d.range, in: sources) }
    for fix in d.fixIts {
      out += "      " + paint("help:", "\u{1B}[1;36m") + " \(fix.message) (\(fix.safety.rawValue) fix)\n"
    }
    for note in d.notes {
      if let r = note.range {
        out += header(loc: sources.location(r), severity: "note", message: note.message, rule: nil)
        if showSnippets { out += snippet(r, in: sources) }
      } else {
        out += "      " + paint("note:", "\u{1B}[1;30m") + " \(note.message)\n"
      }
    }
    return out
  }

  func header(loc: SourceLocation, severity: String, message: String, rule: String?) -> String {
    let code: String
    switch severity {
    case "error": code = "\u{1B}[1;31m"
    case "warning": code = "\u{1B}[1;35m"
    default: code = "\u{1B}[1;30m"
    }
    var line = paint("\(loc.path):\(loc.line):\(loc.column):", "\u{1B}[1m") + " " + paint("\(severity):", code)
    line += " " + paint(message, "\u{1B}[1m")
    if let rule { line += " [\(rule)]" }
    return line + "\n"
  }

  /// Terminal cells a snippet line may take before it is cut around the caret (with `…` at the cut ends):
  /// a minified or binary file must not print megabytes per finding.
  public static let maxSnippetCells = 120

  /// Bytes on each side of the caret read from a long line; the cut to `maxSnippetCells` happens within them.
  static let snippetWindowBytes = 1024

  /// The source line with a gutter and a caret line: `^` at the start, `~` under the rest of the range on that
  /// line. The marker is laid out in terminal cells, not scalars: a wide character (CJK, emoji) takes two cells
  /// and a combining mark none, so the caret stands under the right character; a tab is kept as a tab. Control
  /// characters (a NUL, say) are shown as their Control Pictures symbol so that nothing raw reaches the terminal.
  /// A line wider than `maxSnippetCells` is shown cut around the caret, `…` marking each cut.
  func snippet(_ range: SourceRange, in sources: SourceManager) -> String {
    let file = sources.file(range)
    let bytes = file.bytes
    let starts = file.lineStarts
    let lineIndex = file.lineIndex(of: Int(range.start))
    var lo = Int(starts[lineIndex])
    // A byte order mark is no character of the line (spec §3).
    if lineIndex == 0 && bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { lo = 3 }
    var hi = lineIndex + 1 < starts.count ? Int(starts[lineIndex + 1]) : bytes.count
    while hi > lo && (bytes[hi - 1] == 10 || bytes[hi - 1] == 13) { hi -= 1 }
    let caret = min(max(Int(range.start), lo), hi)
    var cutLeft = false
    var cutRight = false
    if caret - lo > Self.snippetWindowBytes {
      lo = caret - Self.snippetWindowBytes
      while lo < caret && bytes[lo] & 0xC0 == 0x80 { lo += 1 }
      cutLeft = true
    }
    if hi - caret > Self.snippetWindowBytes {
      hi = caret + Self.snippetWindowBytes
      while hi > caret && bytes[hi] & 0xC0 == 0x80 { hi -= 1 }
      cutRight = true
    }
    func scalars(_ a: Int, _ b: Int) -> [Unicode.Scalar] {
      Array(String(decoding: bytes[a..<max(a, b)], as: UTF8.self).unicodeScalars)
    }
    let chars = scalars(lo, hi)
    let caretIndex = min(scalars(lo, caret).count, chars.count)
    let endIndex = Int(range.end) <= hi && file.lineIndex(of: Int(range.end)) == lineIndex
      ? max(scalars(lo, Int(range.end)).count, caretIndex + 1) : chars.count
    let cells = chars.map { $0 == "\t" ? 1 : Self.cellWidth($0) }
    // The characters shown, first..<last: all of them when they fit, else a run around the caret.
    var first = 0
    var last = chars.count
    if cutLeft || cutRight || cells.reduce(0, +) > Self.maxSnippetCells {
      let budget = Self.maxSnippetCells - 2
      first = caretIndex
      last = min(caretIndex + 1, chars.count)
      var used = last > first ? cells[first] : 0
      while first > 0 && used + cells[first - 1] <= budget / 3 {
        first -= 1
        used += cells[first]
      }
      while last < chars.count && used + cells[last] <= budget {
        used += cells[last]
        last += 1
      }
      while first > 0 && used + cells[first - 1] <= budget {
        first -= 1
        used += cells[first]
      }
    }
    let leftMark = first > 0 || cutLeft
    let rightMark = last < chars.count || cutRight
    var shown = leftMark ? "…" : ""
    var marker = leftMark ? " " : ""
    var underline = 0
    for i in first..<last {
      let ch = chars[i]
      shown.unicodeScalars.append(Self.visible(ch))
      if i < caretIndex {
        marker += ch == "\t" ? "\t" : String(repeating: " ", count: cells[i])
      } else if i < endIndex {
        underline += cells[i]
      }
    }
    if rightMark { shown += "…" }
    marker += "^" + String(repeating: "~", count: max(0, underline - 1))
    let number = String(lineIndex + 1)
    let pad = String(repeating: " ", count: max(0, 5 - number.count))
    let gutter = String(repeating: " ", count: max(5, number.count))
    return "\(pad)\(number) | \(shown)\n\(gutter) | " + paint(marker, "\u{1B}[1;32m") + "\n"
  }

  /// A control character as its Control Pictures symbol (U+2400…U+2421); anything else as itself.
  static func visible(_ ch: Unicode.Scalar) -> Unicode.Scalar {
    if ch.value < 0x20 && ch != "\t" { return Unicode.Scalar(0x2400 + ch.value)! }
    if ch.value == 0x7F { return "\u{2421}" }
    return ch
  }

  /// Terminal cells a scalar takes: 0 for combining marks and joiners, 2 for East Asian wide and emoji
  /// presentation characters, else 1.
  static func cellWidth(_ ch: Unicode.Scalar) -> Int {
    let v = ch.value
    if v < 0x300 { return 1 }
    switch ch.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .format: return 0
    default: break
    }
    if (0xFE00...0xFE0F).contains(v) || (0xE0100...0xE01EF).contains(v) { return 0 }
    if ch.properties.isEmojiPresentation { return 2 }
    let wide: [ClosedRange<UInt32>] = [
      0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
      0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
      0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
    return wide.contains { $0.contains(v) } ? 2 : 1
  }

  func paint(_ s: String, _ code: String) -> String {
    color ? code + s + "\u{1B}[0m" : s
  }
}
