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

  /// The source line with a gutter and a caret line: `^` at the start, `~` under the rest of the range on that
  /// line.
  func snippet(_ range: SourceRange, in sources: SourceManager) -> String {
    let file = sources.file(range)
    let (line, column) = file.lineColumn(of: Int(range.start))
    let text = file.lineText(line - 1)
    let (endLine, endColumn) = file.lineColumn(of: Int(range.end))
    let chars = Array(text.unicodeScalars)
    let lastColumn = endLine == line ? max(endColumn, column + 1) : chars.count + 1
    var marker = ""
    for (i, ch) in chars.enumerated() where i + 1 < column { marker.unicodeScalars.append(ch == "\t" ? "\t" : " ") }
    marker += "^"
    if lastColumn - column > 1 { marker += String(repeating: "~", count: lastColumn - column - 1) }
    let number = String(line)
    let pad = String(repeating: " ", count: max(0, 5 - number.count))
    let gutter = String(repeating: " ", count: max(5, number.count))
    return "\(pad)\(number) | \(text)\n\(gutter) | " + paint(marker, "\u{1B}[1;32m") + "\n"
  }

  func paint(_ s: String, _ code: String) -> String {
    color ? code + s + "\u{1B}[0m" : s
  }
}
