import MetaCore

/// Swift-compiler style: `path:line:col: severity: message [rule]`, the source line, a caret, notes, fixes;
/// then a summary line. At most `maxPerFile` findings of a file are shown, then one line says how many more
/// there are: a binary or minified file must not print a source line per finding without end.
public enum TextReporter {
  /// Findings shown per file in text output (JSON and SARIF show all).
  public static let maxPerFile = 100

  public static func render(_ result: LintResult, color: Bool, maxPerFile: Int = maxPerFile) -> String {
    let renderer = DiagnosticRenderer(color: color)
    var out = ""
    for (file, shown, hidden) in perFile(result.findings, limit: maxPerFile) {
      for d in shown { out += renderer.render(d, in: result.sources) }
      if hidden > 0 { out += moreLine(result.sources.files[Int(file)].path, hidden) + "\n" }
    }
    out += summary(result) + "\n"
    return out
  }

  /// Findings (sorted by file) split per file into the first `limit` and the count of the rest.
  public static func perFile(_ findings: [Diagnostic], limit: Int) -> [(file: Int32, shown: [Diagnostic], hidden: Int)] {
    var out: [(file: Int32, shown: [Diagnostic], hidden: Int)] = []
    for d in findings {
      if out.last?.file != d.range.file { out.append((d.range.file, [], 0)) }
      if out[out.count - 1].shown.count < limit { out[out.count - 1].shown.append(d) } else { out[out.count - 1].hidden += 1 }
    }
    return out
  }

  /// The line that stands for the findings of a file left out.
  public static func moreLine(_ path: String, _ hidden: Int) -> String {
    "\(path): \(hidden) more finding\(hidden == 1 ? "" : "s") not shown (--format json lists them all)"
  }

  public static func summary(_ result: LintResult) -> String {
    let files = result.reportedFileCount ?? result.model.checkedFileCount
    let e = result.errorCount
    let w = result.warningCount
    let fixable = result.findings.filter { $0.fixIts.contains { $0.safety == .safe } }.count
    if e == 0 && w == 0 { return "checked \(files) file\(files == 1 ? "" : "s"): no findings" }
    var s = "checked \(files) file\(files == 1 ? "" : "s"): \(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")"
    if fixable > 0 { s += " (\(fixable) fixable with 'metalint fix')" }
    return s
  }
}
