import ModelDSL

/// Per-method facts about context parameters, computed to a fixed point over the call graph (go/analysis
/// facts): a parameter is **used** when the body reads a field of it, stores it, or passes it to a call whose
/// bound parameter is used. Every context parameter of an `extern` is used.
public final class ContextFacts: @unchecked Sendable {
  /// Why a parameter counts as used: the first witness found.
  public enum Witness: @unchecked Sendable {
    /// The body reads a field of it (or stores it) here.
    case read(SourceRange)
    /// An extern primitive takes it.
    case external
    /// It is passed to `callee`'s parameter `parameter` at `site`.
    case passed(site: CallSite, callee: FuncDecl, parameter: Int)
  }

  public let graph: CallGraph
  private var uses: [ObjectIdentifier: [Int: Witness]] = [:]
  private let program: Program

  public init(program: Program, graph: CallGraph) {
    self.program = program
    self.graph = graph
    compute()
  }

  /// Whether `f` uses its parameter `index`.
  public func uses(_ f: FuncDecl, _ index: Int) -> Bool { uses[ObjectIdentifier(f)]?[index] != nil }

  public func witness(_ f: FuncDecl, _ index: Int) -> Witness? { uses[ObjectIdentifier(f)]?[index] }

  func isContextParam(_ f: FuncDecl, _ i: Int) -> Bool { i < f.paramTypes.count && f.paramTypes[i].contextDecl != nil }

  /// Worklist propagation: when a callee's parameter becomes used, its callers are revisited. Each (method,
  /// parameter) becomes used at most once, so the work is linear in the number of call edges.
  private func compute() {
    var worklist: [FuncDecl] = []
    for f in program.externs {
      for i in f.params.indices where isContextParam(f, i) { uses[ObjectIdentifier(f), default: [:]][i] = .external }
      worklist.append(f)
    }
    for l in program.layers {
      for m in l.methods {
        for (i, r) in program.paramReads[ObjectIdentifier(m)] ?? [:] where isContextParam(m, i) {
          uses[ObjectIdentifier(m), default: [:]][i] = .read(r)
        }
        // Passing a context to a constructor stores it: a use.
        for site in program.callsByCaller[ObjectIdentifier(m)] ?? [] {
          for t in site.targets {
            switch t.kind {
            case .construct, .record:
              for ai in t.binding.compactMap({ $0 }) {
                if let p = rootParam(site.arguments[ai].value), isContextParam(m, p),
                   uses[ObjectIdentifier(m)]?[p] == nil {
                  uses[ObjectIdentifier(m), default: [:]][p] = .read(site.arguments[ai].range)
                }
              }
            default: break
            }
          }
        }
        if uses[ObjectIdentifier(m)] != nil { worklist.append(m) }
      }
    }
    while let callee = worklist.popLast() {
      guard let used = uses[ObjectIdentifier(callee)] else { continue }
      for edge in graph.callers[ObjectIdentifier(callee)] ?? [] {
        guard let caller = edge.site.caller else { continue }
        let t = edge.site.targets[edge.target]
        for (pi, ai) in t.binding.enumerated() {
          guard let ai, used[pi] != nil, let q = rootParam(edge.site.arguments[ai].value),
                isContextParam(caller, q), uses[ObjectIdentifier(caller)]?[q] == nil else { continue }
          uses[ObjectIdentifier(caller), default: [:]][q] = .passed(site: edge.site, callee: callee, parameter: pi)
          worklist.append(caller)
        }
      }
    }
  }

  /// The parameter an argument is, directly or through a `let` alias.
  public func rootParam(_ e: Expr) -> Int? {
    var x = e
    while case .paren(let inner) = x.kind { x = inner }
    guard case .name = x.kind, case .local(let v) = x.symbol else { return nil }
    return v.rootParam
  }

  /// The chain from `f` down to where parameter `index` is actually read:
  /// `['Qwen3MoeBlock.forward', 'FusedMoE.forward', 'FusedMoE.forward_chunked_moe']`.
  public func useChain(_ f: FuncDecl, _ index: Int) -> [String] {
    var chain = [program.qualifiedName(f)]
    var current = f
    var param = index
    var seen = Set<ObjectIdentifier>([ObjectIdentifier(f)])
    while case .passed(_, let callee, let p)? = witness(current, param), !seen.contains(ObjectIdentifier(callee)) {
      seen.insert(ObjectIdentifier(callee))
      chain.append(program.qualifiedName(callee))
      current = callee
      param = p
    }
    return chain
  }
}
