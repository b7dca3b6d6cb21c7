import ModelDSL

/// The result of checking a program: findings sorted by file, line, column and rule.
public struct LintResult: @unchecked Sendable {
  public let program: Program
  public let findings: [Diagnostic]
  public let graph: CallGraph
  public let facts: ContextFacts
  /// The files findings are reported for, when fewer than the program's (a file checked with the rest of
  /// its directory); nil means every user file.
  public var reportedFileCount: Int?

  public init(program: Program, findings: [Diagnostic], graph: CallGraph, facts: ContextFacts) {
    self.program = program
    self.findings = findings
    self.graph = graph
    self.facts = facts
  }

  public var errorCount: Int { findings.filter { $0.severity == .error }.count }
  public var warningCount: Int { findings.filter { $0.severity == .warning }.count }
}

/// Runs the rules over a checked program: call graph, context facts, classification of every call, each
/// enabled rule, configured severities, then suppressions.
public enum Linter {
  public static func lint(_ program: Program, configuration: Configuration = Configuration()) -> LintResult {
    let graph = CallGraph(program: program)
    let facts = ContextFacts(program: program, graph: graph)
    let calls = CallAnalysis.analyze(program, facts: facts)
    let pass = Pass(program: program, facts: facts, calls: calls)
    let enabled = configuration.enabledRules
    for rule in enabled { pass.run(rule) }
    var findings = pass.findings
    var suppressions = Suppressions(program: program)
    findings = suppressions.filter(findings, sources: program.sources)
    let enabledIDs = Set(enabled.map { $0.id })
    if enabledIDs.contains("unused-suppression") {
      findings += suppressions.unused(enabled: enabledIDs)
    }
    for i in findings.indices { findings[i].severity = configuration.severity(of: findings[i].rule) }
    findings.sort { a, b in
      (a.range.file, a.range.start, a.rule, a.message) < (b.range.file, b.range.start, b.rule, b.message)
    }
    // One finding per rule and position.
    var seen = Set<String>()
    findings = findings.filter { seen.insert("\($0.range.file):\($0.range.start):\($0.rule):\($0.message)").inserted }
    return LintResult(program: program, findings: findings, graph: graph, facts: facts)
  }

  /// Parses, checks and lints files in one go.
  public static func check(files: [(path: String, bytes: [UInt8])],
                           configuration: Configuration = Configuration()) -> LintResult {
    lint(Program.check(files: files), configuration: configuration)
  }
}
