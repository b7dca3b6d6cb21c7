import MetaCore

/// What one rule sees: the checked model, the context facts, the per-call classification, and a sink for
/// its findings. The rules run in parallel, each with its own `Pass` over the same read-only analysis.
public final class Pass: @unchecked Sendable {
  public let model: CheckedModel
  public let facts: ContextFacts
  public let calls: [CallAnalysis]
  let shared: SharedAnalysis
  public private(set) var findings: [Diagnostic] = []
  let rule: Rule

  init(rule: Rule, shared: SharedAnalysis) {
    self.rule = rule
    self.shared = shared
    model = shared.model
    facts = shared.facts
    calls = shared.calls
  }

  /// Reports a finding of the running rule at its default severity.
  public func report(at range: SourceRange, _ message: String, notes: [Note] = [], fixIts: [FixIt] = []) {
    findings.append(Diagnostic(rule.defaultSeverity, rule: rule.id, at: range, message, notes: notes,
                               fixIts: fixIts))
  }

  public var names: NameTable { model.names }
  public func str(_ n: Name) -> String { model.names.string(n) }
  public func text(_ r: SourceRange) -> String { model.text(r) }
}

/// The analysis every rule reads, computed once per check.
final class SharedAnalysis: @unchecked Sendable {
  let model: CheckedModel
  let facts: ContextFacts
  let calls: [CallAnalysis]
  /// (function, context) pairs where the function makes a call that needs the context and has none: such a
  /// function needs the context as a parameter.
  let needsContext: Set<FunctionContext>

  struct FunctionContext: Hashable {
    let function: FunctionID
    let context: ContextID
  }

  init(model: CheckedModel, facts: ContextFacts, calls: [CallAnalysis]) {
    self.model = model
    self.facts = facts
    self.calls = calls
    var needs = Set<FunctionContext>()
    for a in calls {
      guard let caller = model.calls[a.call.index].caller else { continue }
      for (_, problem) in a.problems {
        if case .unthreadedContext(_, let c, _) = problem { needs.insert(FunctionContext(function: caller, context: c)) }
      }
    }
    needsContext = needs
  }
}
