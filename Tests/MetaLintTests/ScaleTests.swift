import MetaLint
import MetaLintDriver
import ModelDSL
import Testing

/// Shapes that made an earlier checker quadratic: one method calling 10,000 others, a chain 10,000 calls
/// deep, 20,000 findings in one file. Generated here; each must check and fix completely (cost is measured
/// in `Benchmarks/`, never timed here).
@Suite struct ScaleTests {
  static let n = 10_000

  @Test func aChainTenThousandCallsDeepIsThreadedInOneRound() {
    var src = "extern func use(x: Tensor, forwardMeta: ForwardMeta) -> Tensor\n"
    for i in 0..<Self.n - 1 {
      src += "layer L\(i)(h: Int) {\n  let next = L\(i + 1)(h)\n  func forward(x: Tensor) -> Tensor {\n    return next(x)\n  }\n}\n"
    }
    src += "layer L\(Self.n - 1)(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return use(x)\n  }\n}\n"
    let files = [(path: "chain.mdl", bytes: Array(src.utf8))]
    let before = Linter.check(files: files)
    #expect(before.findings.map(\.rule) == ["unthreaded-context"])
    let outcome = Fixer.fix(files: files)
    #expect(outcome.rounds == 1 && outcome.converged && outcome.refusal == nil)
    #expect(outcome.remaining.findings.isEmpty)
    let text = String(decoding: outcome.changed["chain.mdl"] ?? [], as: UTF8.self)
    #expect(text.components(separatedBy: "func forward(x: Tensor, forwardMeta: ForwardMeta)").count == Self.n + 1)
  }

  @Test func oneMethodCallingTenThousandOthers() {
    var src = "extern func use(x: Tensor, forwardMeta: ForwardMeta) -> Tensor\n"
    for i in 0..<Self.n {
      src += "layer K\(i)(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return use(x)\n  }\n}\n"
    }
    src += "layer Top(h: Int) {\n"
    for i in 0..<Self.n { src += "  let k\(i) = K\(i)(h)\n" }
    src += "  func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {\n"
    for i in 0..<Self.n { src += "    let y\(i) = k\(i)(x)\n" }
    src += "    return x\n  }\n}\n"
    let files = [(path: "fan.mdl", bytes: Array(src.utf8))]
    let result = Linter.check(files: files)
    #expect(result.findings.count == Self.n)
    #expect(result.findings.allSatisfy { $0.rule == "unthreaded-context" })
    let outcome = Fixer.fix(files: files)
    #expect(outcome.rounds == 1 && outcome.remaining.findings.isEmpty)
  }

  @Test func twentyThousandFindingsInOneFile() {
    var src = "extern func use(x: Tensor, forwardMeta: ForwardMeta? = nil) -> Tensor\nlayer M(h: Int) {\n"
    src += "  func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {\n"
    for i in 0..<2 * Self.n { src += "    let y\(i) = use(x)\n" }
    src += "    return x\n  }\n}\n"
    let files = [(path: "many.mdl", bytes: Array(src.utf8))]
    let result = Linter.check(files: files)
    #expect(result.findings.count == 2 * Self.n)
    #expect(result.findings.allSatisfy { $0.rule == "dropped-context" })
    let outcome = Fixer.fix(files: files)
    #expect(outcome.rounds == 1 && outcome.fixed.count == 2 * Self.n && outcome.remaining.findings.isEmpty)
  }
}
