import ModelDSL

/// Every call edge of the program: from a method (or a field initializer / model, caller nil) to each method
/// or extern a call may reach. Union-typed receivers contribute one edge per alternative.
public final class CallGraph: @unchecked Sendable {
  public struct Edge: @unchecked Sendable {
    public let site: CallSite
    /// Index into `site.targets`.
    public let target: Int
    public var callee: FuncDecl? { site.targets[target].function }
  }

  /// Edges into each method or extern, by callee. (Edges out of a method are `program.callsByCaller`.)
  public private(set) var callers: [ObjectIdentifier: [Edge]] = [:]
  public let program: Program

  public init(program: Program) {
    self.program = program
    for site in program.callSites {
      for (i, t) in site.targets.enumerated() {
        let edge = Edge(site: site, target: i)
        if let f = t.function { callers[ObjectIdentifier(f), default: []].append(edge) }
      }
    }
  }

  /// Methods of the program's own layers with no caller inside the program: where threading stops.
  public func isRoot(_ f: FuncDecl) -> Bool {
    (callers[ObjectIdentifier(f)] ?? []).allSatisfy { $0.site.caller == nil }
  }
}
