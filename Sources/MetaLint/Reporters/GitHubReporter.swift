import MetaCore

/// GitHub Actions workflow commands: `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`,
/// escaped as `@actions/core` does. Errors come first, since GitHub shows only the first ten of each kind per
/// step; a final notice gives the totals.
public enum GitHubReporter {
  public static func render(_ result: LintResult, base: String?) -> String {
    let sources = result.sources
    var out = ""
    // At most `TextReporter.maxPerFile` per file, as in text output.
    let groups = TextReporter.perFile(result.findings, limit: TextReporter.maxPerFile)
    let ordered = groups.flatMap { $0.shown }.enumerated().sorted { a, b in
      (a.element.severity == .error ? 0 : 1, a.offset) < (b.element.severity == .error ? 0 : 1, b.offset)
    }.map { $0.element }
    for d in ordered {
      let l = sources.location(d.range)
      let command = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
      var props = "file=\(escapeProperty(PathRelativizer.relative(l.path, to: base))),line=\(l.line)"
      props += ",endLine=\(l.endLine)"
      if l.endLine == l.line { props += ",col=\(l.column),endColumn=\(max(l.endColumn, l.column + 1))" } else { props += ",col=\(l.column)" }
      props += ",title=\(escapeProperty("metalint (\(d.rule))"))"
      out += "::\(command) \(props)::\(escapeData(d.message))\n"
    }
    for g in groups where g.hidden > 0 {
      let path = PathRelativizer.relative(sources.files[Int(g.file)].path, to: base)
      out += "::notice file=\(escapeProperty(path)),title=metalint::"
        + escapeData(TextReporter.moreLine(path, g.hidden)) + "\n"
    }
    var summary = TextReporter.summary(result)
    let bySeverity = Dictionary(grouping: result.findings, by: { $0.severity }).mapValues { $0.count }
    if bySeverity.values.contains(where: { $0 > annotationLimit }) {
      summary += "; GitHub shows only the first \(annotationLimit) annotations of each severity per step, "
        + "upload --format sarif to see them all"
    }
    out += "::notice title=metalint::\(escapeData(summary))\n"
    return out
  }

  /// Annotations of one severity GitHub shows per step; the rest are dropped silently.
  public static let annotationLimit = 10

  /// Message escaping: `%`, CR, LF.
  public static func escapeData(_ s: String) -> String {
    var out = ""
    for ch in s.unicodeScalars {
      switch ch {
      case "%": out += "%25"
      case "\r": out += "%0D"
      case "\n": out += "%0A"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }

  /// Property escaping: the message escapes plus `:` and `,`.
  public static func escapeProperty(_ s: String) -> String {
    escapeData(s).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
  }
}

extension String {
  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
    return out
  }
}
