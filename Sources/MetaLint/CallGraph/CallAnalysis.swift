import Foundation
import MetaCore

/// One thing wrong with one alternative of a call, before a rule words it.
public enum CallProblem: Sendable {
  /// A context parameter left unfilled while `value` is in scope. `slidArgument`: the argument that slid into
  /// the context's slot (insert before it). `needed`: no default, or the callee uses it.
  case droppedContext(parameter: Int, value: ModelScopeValue, ambiguous: Bool, slidArgument: Int?, needed: Bool)
  /// A context parameter the callee needs, unfilled (or filled with a fresh `C()`), and no value in scope.
  case unthreadedContext(parameter: Int, context: ContextID, freshArgument: Int?)
  case extraArgument(argument: Int)
  case argumentType(argument: Int, parameter: Int)
  case argumentOrder(argument: Int)
  /// A fresh or unrelated context value passed while the function's own parameter `own` is in scope.
  case freshContext(argument: Int, parameter: Int, own: ModelScopeValue)
  /// Any other binding error (missing non-context argument, filled twice, positional after labelled).
  case unresolved(message: String, range: SourceRange)
}

/// The classified problems of one call, per target (alternative).
public struct CallAnalysis: Sendable {
  public let call: CallID
  public var problems: [(target: Int, problem: CallProblem)]

  /// Classifies every call of the model.
  static func analyze(_ model: CheckedModel, facts: ContextFacts) -> [CallAnalysis] {
    let n = model.calls.count
    let workers = n >= 4096 ? workerCount() : 1
    return parallelMap(count: n, workers: workers) { i in
      var a = CallAnalysis(call: CallID(i), problems: [])
      for ti in 0..<Int(model.calls[i].targets.count) { a.classify(ti, model: model, facts: facts) }
      return a
    }
  }

  /// The in-scope value of context `c` to pass: the function's own parameter first, then the innermost local.
  static func scopeValue(_ model: CheckedModel, _ call: CallID, _ c: ContextID) -> (ModelScopeValue, ambiguous: Bool)? {
    var first: ModelScopeValue?
    var parameter: ModelScopeValue?
    var count = 0
    for v in model.scope(of: call) where v.context == c {
      count += 1
      if first == nil { first = v }
      if parameter == nil && v.isParameter { parameter = v }
    }
    guard let chosen = parameter ?? first else { return nil }
    return (chosen, count > 1)
  }

  mutating func classify(_ ti: Int, model: CheckedModel, facts: ContextFacts) {
    let site = model.calls[call.index]
    let t = model.targets[Int(site.targets.start) + ti]
    let callee = model.functions[t.function.index]
    let name = callee.displayName
    let function: FunctionID? = callee.isCallable ? t.function : nil
    let args = model.arguments(of: call)
    let argBase = args.startIndex
    let paramCount = Int(callee.parameters.count)
    func param(_ i: Int) -> ModelParameter { model.parameter(t.function, i) }
    var issues = Array(model.issues(of: t))
    var slid = false

    // A positional argument that slid into a context's slot: `layer(h)` for `forward(meta, h)`.
    if function != nil && site.caller != nil && !t.fits.isEmpty {
      for case .typeMismatch(let ai, let pi) in issues {
        guard args[argBase + ai].kind == .positional, let c = param(pi).context,
              let (value, ambiguous) = CallAnalysis.scopeValue(model, call, c) else { continue }
        var shifted = args.map { ArgumentBinder.Argument(label: $0.label, kind: $0.kind) }
        shifted.insert(ArgumentBinder.Argument(label: nil), at: ai)
        let params = (0..<paramCount).map {
          ArgumentBinder.Parameter(name: param($0).name, kind: param($0).kind, hasDefault: param($0).hasDefault)
        }
        let rebound = ArgumentBinder.bind(params: params, args: shifted) { a, p in
          if a == ai { return param(p).context == c }
          let original = a < ai ? a : a - 1
          return t.fits[original * paramCount + p]
        }
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
          message: "parameter '\(model.str(param(pi).name))' is filled twice in call to '\(name)'",
          range: args[argBase + ai].range)))
      case .positionalAfterLabelled(let ai):
        problems.append((ti, .unresolved(message: "positional argument cannot follow labelled arguments",
                                         range: args[argBase + ai].range)))
      case .missing(let pi):
        let p = param(pi)
        if function != nil, site.caller != nil, let c = p.context {
          if let (value, ambiguous) = CallAnalysis.scopeValue(model, call, c) {
            problems.append((ti, .droppedContext(parameter: pi, value: value, ambiguous: ambiguous, slidArgument: nil,
                                                 needed: true)))
          } else {
            problems.append((ti, .unthreadedContext(parameter: pi, context: c, freshArgument: nil)))
          }
        } else {
          problems.append((ti, .unresolved(
            message: "missing argument for parameter '\(model.str(p.name))' in call to '\(name)'",
            range: site.calleeNameRange)))
        }
      }
    }

    if !slid {
      for ai in model.outOfOrder(of: t) { problems.append((ti, .argumentOrder(argument: Int(ai)))) }
    }
    guard let f = function, site.caller != nil else { return }
    // Defaulted context parameters left unfilled.
    for pi in 0..<paramCount where model.bound(t, pi) == nil && param(pi).hasDefault {
      guard let c = param(pi).context else { continue }
      let used = facts.uses(f, pi)
      if let (value, ambiguous) = CallAnalysis.scopeValue(model, call, c) {
        problems.append((ti, .droppedContext(parameter: pi, value: value, ambiguous: ambiguous, slidArgument: nil,
                                             needed: used)))
      } else if used {
        problems.append((ti, .unthreadedContext(parameter: pi, context: c, freshArgument: nil)))
      }
    }
    // Context parameters filled with a fresh or unrelated value.
    for pi in 0..<paramCount {
      guard let ai = model.bound(t, pi), let c = param(pi).context,
            !model.issues(of: t).contains(.typeMismatch(argument: ai, parameter: pi)) else { continue }
      let arg = args[argBase + ai]
      let constructed: Bool
      switch arg.freshness {
      case .none: continue
      case .constructed(let made):
        guard made == c else { continue }
        constructed = true
      case .rootedElsewhere: constructed = false
      }
      if let own = model.scope(of: call).first(where: { $0.context == c && $0.isParameter }) {
        problems.append((ti, .freshContext(argument: ai, parameter: pi, own: own)))
      } else if constructed && CallAnalysis.scopeValue(model, call, c) == nil
                  && (!param(pi).hasDefault || facts.uses(f, pi)) {
        problems.append((ti, .unthreadedContext(parameter: pi, context: c, freshArgument: ai)))
      }
    }
  }
}
