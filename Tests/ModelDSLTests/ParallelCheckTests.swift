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

  /// Results come back in index order whatever the number of workers, with and without per-worker state.
  /// (Whether a whole `check` depends on the worker count is `CLITests.ParallelCheckTests`, which runs the
  /// binary with `METALINT_WORKERS=1` and `=4`: the override is read once per process.)
  @Test func parallelMapKeepsIndexOrder() {
    let sequential = (0..<1000).map { $0 * $0 }
    for workers in [1, 3, 8] {
      #expect(parallelMap(count: 1000, workers: workers) { $0 * $0 } == sequential)
      let withState = parallelMap(count: 1000, workers: workers, state: { [Int]() }) { seen, i -> Int in
        seen.append(i)
        return i * i
      }
      #expect(withState == sequential)
    }
  }
}
