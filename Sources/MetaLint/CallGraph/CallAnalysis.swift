import Foundation
import ModelDSL

/// One thing wrong with one alternative of a call, before a rule words it.
public enum CallProblem: @unchecked Sendable {
  /// A context parameter left unfilled while `value` is in scope. `slidArgument`: the argument that slid into
  /// the context's slot (insert before it). `needed`: no default, or the callee uses it.
  case droppedContext(parameter: Int, value: ScopeContext, ambiguous: Bool, slidArgument: Int?, needed: Bool)
  /// A context parameter the callee needs, unfilled (or filled with a fresh `C()`), and no value in scope.
  case unthreadedContext(parameter: Int, context: RecordDecl, freshArgument: Int?)
  case extraArgument(argument: Int)
  case argumentType(argument: Int, parameter: Int)
  case argumentOrder(argument: Int)
  /// A fresh or unrelated context value passed while the method's own parameter `own` is in scope.
  case freshContext(argument: Int, parameter: Int, own: LocalVar)
  /// Any other binding error (missing non-context argument, filled twice, positional after labelled).
  case unresolved(message: String, range: SourceRange)
}

/// The classified problems of one call, per target (alternative).
public struct CallAnalysis: @unchecked Sendable {
  public let site: CallSite
  public var problems: [(target: Int, problem: CallProblem)]

  /// Classifies every call of the program.
  static func analyze(_ program: Program, facts: ContextFacts) -> [CallAnalysis] {
    let sites = program.callSites
    let workers = sites.count >= 4096 ? ProcessInfo.processInfo.activeProcessorCount : 1
    return parallelMap(count: sites.count, workers: workers) { i in
      var a = CallAnalysis(site: sites[i], problems: [])
      for ti in sites[i].targets.indices { a.classify(ti, program: program, facts: facts) }
      return a
    }
  }

  /// The name of the target for messages: `Qwen3MLP.forward`, `k`, `Linear`.
  public static func targetName(_ t: CallTarget, _ program: Program) -> String {
    switch t.kind {
    case .method(let f), .extern(let f): return program.qualifiedName(f)
    case .construct(let l): return program.names.string(l.name)
    case .record(let r): return program.names.string(r.name)
    }
  }

  /// The in-scope value of context `c` to pass: the method's own parameter first, then the innermost local.
  static func scopeValue(_ site: CallSite, _ c: RecordDecl) -> (ScopeContext, ambiguous: Bool)? {
    let candidates = site.scopeContexts.filter { $0.context === c }
    guard let first = candidates.first(where: { $0.variable.paramIndex != nil }) ?? candidates.first else {
      return nil
    }
    return (first, candidates.count > 1)
  }

  mutating func classify(_ ti: Int, program: Program, facts: ContextFacts) {
    let t = site.targets[ti]
    var name: String { CallAnalysis.targetName(t, program) }
    let names = program.names
    let function = t.function
    let argTypes = site.arguments.map { $0.value.type }
    var issues = t.issues
    var slid = false

    // A positional argument that slid into a context's slot: `layer(h)` for `forward(meta, h)`.
    if function != nil && site.caller != nil {
      for case .typeMismatch(let ai, let pi) in issues {
        guard site.arguments[ai].label == nil, let c = t.params[pi].type.contextDecl,
              let (value, ambiguous) = CallAnalysis.scopeValue(site, c) else { continue }
        var labels = site.arguments.map { $0.label }
        var types = argTypes
        labels.insert(nil, at: ai)
        types.insert(value.variable.type, at: ai)
        let rebound = ArgumentBinder.bind(params: t.params, labels: labels, types: types)
        if rebound.issues.isEmpty {
          problems.append((ti, .droppedContext(parameter: pi, value: value, ambiguous: ambiguous, slidArgument: ai,
                                               needed: true)))
          issues = []
          slid = true
          break
        }
      }
    }

    for issue in issues {
      switch issue {
      case .tooManyPositional(let ai), .unknownLabel(let ai):
        problems.append((ti, .extraArgument(argument: ai)))
      case .typeMismatch(let ai, let pi):
        problems.append((ti, .argumentType(argument: ai, parameter: pi)))
      case .filledTwice(let ai, let pi):
        problems.append((ti, .unresolved(
          message: "parameter '\(names.string(t.params[pi].name))' is filled twice in call to '\(name)'",
          range: site.arguments[ai].range)))
      case .positionalAfterLabelled(let ai):
        problems.append((ti, .unresolved(message: "positional argument cannot follow labelled arguments",
                                         range: site.arguments[ai].range)))
      case .missing(let pi):
        let p = t.params[pi]
        if function != nil, site.caller != nil, let c = p.type.contextDecl {
          if let (value, ambiguous) = CallAnalysis.scopeValue(site, c) {
            problems.append((ti, .droppedContext(parameter: pi, value: value, ambiguous: ambiguous, slidArgument: nil,
                                                 needed: true)))
          } else {
            problems.append((ti, .unthreadedContext(parameter: pi, context: c, freshArgument: nil)))
          }
        } else {
          problems.append((ti, .unresolved(
            message: "missing argument for parameter '\(names.string(p.name))' in call to '\(name)'",
            range: site.calleeNameRange)))
        }
      }
    }

    if !slid {
      for ai in t.outOfOrder { problems.append((ti, .argumentOrder(argument: ai))) }
    }
    guard let f = function, site.caller != nil else { return }
    // Defaulted context parameters left unfilled.
    for (pi, p) in t.params.enumerated() where t.binding[pi] == nil && p.hasDefault {
      guard let c = p.type.contextDecl else { continue }
      let used = facts.uses(f, pi)
      if let (value, ambiguous) = CallAnalysis.scopeValue(site, c) {
        problems.append((ti, .droppedContext(parameter: pi, value: value, ambiguous: ambiguous, slidArgument: nil,
                                             needed: used)))
      } else if used {
        problems.append((ti, .unthreadedContext(parameter: pi, context: c, freshArgument: nil)))
      }
    }
    // Context parameters filled with a fresh or unrelated value.
    for (pi, ai) in t.binding.enumerated() {
      guard let ai, let c = t.params[pi].type.contextDecl, argTypes[ai].fits(t.params[pi].type) else { continue }
      let arg = site.arguments[ai].value
      guard let freshness = CallAnalysis.freshness(arg, c) else { continue }
      if let own = site.scopeContexts.first(where: { $0.context === c && $0.variable.paramIndex != nil }) {
        problems.append((ti, .freshContext(argument: ai, parameter: pi, own: own.variable)))
      } else if freshness == .constructed && CallAnalysis.scopeValue(site, c) == nil
                  && (!t.params[pi].hasDefault || facts.uses(f, pi)) {
        problems.append((ti, .unthreadedContext(parameter: pi, context: c, freshArgument: ai)))
      }
    }
  }

  enum Freshness { case constructed, rootedElsewhere }

  /// Whether an argument is a newly built context (`C()`) or an expression rooted at a field, a layer
  /// parameter or `self`.
  static func freshness(_ e: Expr, _ c: RecordDecl) -> Freshness? {
    var x = e
    while true {
      switch x.kind {
      case .paren(let inner): x = inner
      case .call:
        if let site = x.callSite, site.targets.contains(where: { if case .record(let r) = $0.kind { return r === c }; return false }) {
          return .constructed
        }
        return nil
      case .member(let base, _, _):
        if case .field = x.symbol, case .selfRef = base.kind { return .rootedElsewhere }
        x = base
      case .index(let base, _): x = base
      case .selfRef: return .rootedElsewhere
      case .name:
        switch x.symbol {
        case .field, .layerParam, .selfValue: return .rootedElsewhere
        default: return nil
        }
      default: return nil
      }
    }
  }
}
