import MetaCore

/// `--format json` (spec §9): `{"findings": [{"rule", "severity", "message", "file", "line", "column", …}], …}`.
/// Lines and columns are 1-based, columns in characters; `endColumn` is exclusive.
public enum JSONReporter {
  public static func render(_ result: LintResult) -> JSONValue {
    let sources = result.sources
    func location(_ r: SourceRange) -> [(String, JSONValue)] {
      let l = sources.location(r)
      return [("file", .string(l.path)), ("line", .int(l.line)), ("column", .int(l.column)),
              ("endLine", .int(l.endLine)), ("endColumn", .int(l.endColumn))]
    }
    let findings: [JSONValue] = result.findings.map { d in
      var fields: [(String, JSONValue)] = [("rule", .string(d.rule)), ("severity", .string(d.severity.rawValue)),
                                           ("message", .string(d.message))]
      fields += location(d.range)
      fields.append(("notes", .array(d.notes.map { n in
        .object([("message", .string(n.message))] + (n.range.map(location) ?? []))
      })))
      fields.append(("fixes", .array(d.fixIts.map { f in
        .object([("message", .string(f.message)), ("applicability", .string(f.safety.rawValue)),
                 ("edits", .array(f.edits.map { e in
                   .object(location(e.range) + [("replacement", .string(e.replacement))])
                 }))])
      })))
      return .object(fields)
    }
    return .object([
      ("version", .string(MetaLintVersion.current)),
      ("findings", .array(findings)),
      ("summary", .object([("files", .int(result.reportedFileCount ?? result.model.checkedFileCount)), ("errors", .int(result.errorCount)),
                           ("warnings", .int(result.warningCount))])),
    ])
  }
}
