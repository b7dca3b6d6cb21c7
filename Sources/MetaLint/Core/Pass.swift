import ModelDSL

/// What every rule sees: the checked program, the context facts, the per-call classification, and a sink for
/// findings. One `Pass` per `check`.
public final class Pass: @unchecked Sendable {
  public let program: Program
  public let facts: ContextFacts
  public let calls: [CallAnalysis]
  public private(set) var findings: [Diagnostic] = []
  var currentRule: Rule?

  init(program: Program, facts: ContextFacts, calls: [CallAnalysis]) {
    self.program = program
    self.facts = facts
    self.calls = calls
  }

  /// Reports a finding of the running rule at its default severity.
  public func report(at range: SourceRange, _ message: String, notes: [Note] = [], fixIts: [FixIt] = []) {
    guard let rule = currentRule else { return }
    findings.append(Diagnostic(rule.defaultSeverity, rule: rule.id, at: range, message, notes: notes,
                               fixIts: fixIts))
  }

  func run(_ rule: Rule) {
    currentRule = rule
    rule.run(self)
    currentRule = nil
  }

  public var names: NameTable { program.names }
  public func str(_ n: Name) -> String { program.names.string(n) }
  public func describe(_ t: Ty) -> String { t.describe(program.names) }
  public func text(_ r: SourceRange) -> String { program.sources.file(r).text(r.byteRange) }
}
