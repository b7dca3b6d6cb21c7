import Foundation
import ModelDSL
import Testing

/// Files are parsed, and method bodies checked, on several threads: results must not depend on it, and deep
/// (but legal) nesting must not exhaust a worker's stack.
@Suite struct ParallelCheckTests {
  /// 96 methods (enough for the parallel path), each returning, inside `if` blocks nested 95 deep, an
  /// expression nested 95 deep: close to the nesting limit (200 levels of blocks and expressions together).
  static func deepProgram(files: Int, depth: Int = 95) -> [(path: String, bytes: [UInt8])] {
    let nested = String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
    let body = String(repeating: "if h > 0 {\n", count: depth) + "return \(nested)\n"
      + String(repeating: "}\n", count: depth) + "return x\n"
    return (0..<files).map { f in
      var text = ""
      for l in 0..<8 {
        text += "layer L\(f)_\(l)(h: Int) {\n"
        text += "  func forward(x: Tensor) -> Tensor {\n\(body)  }\n"
        text += "  func twice(x: Tensor) -> Tensor {\n    return forward(x) + forward(x)\n  }\n}\n"
      }
      return ("f\(f).mdl", Array(text.utf8))
    }
  }

  @Test func deepExpressionsInManyMethodsCheckOnWorkerThreads() {
    let program = Program.check(files: Self.deepProgram(files: 12))
    #expect(program.diagnostics.isEmpty, "\(program.diagnostics.prefix(3).map { $0.message })")
    #expect(program.callSites.filter { !program.isPrelude($0.calleeRange) }.count == 12 * 8 * 2)
  }

  /// Past the limit: every method gets its diagnostic, and no worker runs out of stack on the way.
  @Test func nestingPastTheLimitIsDiagnosedOnWorkerThreads() {
    let program = Program.check(files: Self.deepProgram(files: 12, depth: 190))
    let deep = program.diagnostics.filter { $0.message.contains("nested too deeply") }
    #expect(deep.count == 12 * 8)
  }

  @Test func resultsDoNotDependOnThreads() {
    let files = Self.deepProgram(files: 12)
    let a = Program.check(files: files)
    let b = Program.check(files: files)
    #expect(a.callSites.map { $0.calleeRange } == b.callSites.map { $0.calleeRange })
    let sequential = parallelMap(count: 1000, workers: 1) { $0 * $0 }
    let parallel = parallelMap(count: 1000, workers: 3) { $0 * $0 }
    #expect(sequential == parallel)
  }
}
