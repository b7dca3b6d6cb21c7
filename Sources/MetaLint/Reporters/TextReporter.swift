import MetaCore

/// Swift-compiler style: `path:line:col: severity: message [rule]`, the source line, a caret, notes, fixes;
/// then a summary line.
public enum TextReporter {
  public static func render(_ result: LintResult, color: Bool) -> String {
    let renderer = DiagnosticRenderer(color: color)
    var out = ""
    for d in result.findings { out += renderer.render(d, in: result.sources) }
    out += summary(result) + "\n"
    return out
  }

  public static func summary(_ result: LintResult) -> String {
    let files = result.model.checkedFileCount
    let e = result.errorCount
    let w = result.warningCount
    let fixable = result.findings.filter { $0.fixIts.contains { $0.safety == .safe } }.count
    if e == 0 && w == 0 { return "checked \(files) file\(files == 1 ? "" : "s"): no findings" }
    var s = "checked \(files) file\(files == 1 ? "" : "s"): \(e) error\(e == 1 ? "" : "s"), \(w) warning\(w == 1 ? "" : "s")"
    if fixable > 0 { s += " (\(fixable) fixable with 'metalint fix')" }
    return s
  }
}
