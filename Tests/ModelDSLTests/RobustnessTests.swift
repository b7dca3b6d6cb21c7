import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL
import Testing
import TestSupport

/// Inputs that must produce diagnostics, never a crash or a hang: every prefix of real fixtures, unbalanced
/// braces, stray and invalid bytes, and pathological nesting and length.
@Suite(.timeLimit(.minutes(5))) struct RobustnessTests {
  static let root = FixtureRunner.repoRoot().appendingPathComponent("fixtures")

  static func findings(_ bytes: [UInt8]) -> [Diagnostic] {
    Linter.check(files: [(path: "robust.mdl", bytes: bytes)]).findings
  }

  static func findings(_ source: String) -> [Diagnostic] { findings(Array(source.utf8)) }

  /// Whether a prefix is certainly broken: an unclosed bracket, string or block comment.
  static func certainlyBroken(_ bytes: ArraySlice<UInt8>) -> Bool {
    var stack: [UInt8] = []
    var commentDepth = 0
    var inString = false
    var inLineComment = false
    var i = bytes.startIndex
    while i < bytes.endIndex {
      let c = bytes[i]
      let next: UInt8? = i + 1 < bytes.endIndex ? bytes[i + 1] : nil
      if inLineComment {
        if c == 0x0A || c == 0x0D { inLineComment = false }
      } else if commentDepth > 0 {
        if c == UInt8(ascii: "/") && next == UInt8(ascii: "*") { commentDepth += 1; i += 1 }
        else if c == UInt8(ascii: "*") && next == UInt8(ascii: "/") { commentDepth -= 1; i += 1 }
      } else if inString {
        if c == UInt8(ascii: "\"") || c == 0x0A || c == 0x0D { inString = false }
      } else if c == UInt8(ascii: "/") && next == UInt8(ascii: "/") {
        inLineComment = true; i += 1
      } else if c == UInt8(ascii: "/") && next == UInt8(ascii: "*") {
        commentDepth = 1; i += 1
      } else if c == UInt8(ascii: "\"") {
        inString = true
      } else if c == UInt8(ascii: "(") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
        stack.append(c)
      } else if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
        if stack.popLast() == nil { return true }
      }
      i += 1
    }
    return !stack.isEmpty || commentDepth > 0 || inString
  }

  /// Chosen for breadth at a bearable cost (each prefix is a full check): the layer with most control flow,
  /// the layout corpus (nested comments, multi-byte characters, `;`, leading `.`), and suppressions.
  static let truncationFixtures = ["seed-pr/after/moe.mdl", "dsl/valid/layout.mdl", "lint/suppression.mdl"]

  /// Every byte prefix of a fixture checks without crashing; one that leaves a bracket, string or block
  /// comment open gets an `unresolved` diagnostic.
  @Test(arguments: truncationFixtures)
  func everyPrefixChecks(_ name: String) throws {
    let bytes = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent(name)))
    #expect(!bytes.isEmpty)
    var missing: [Int] = []
    for n in 0...bytes.count {
      let prefix = bytes[..<n]
      let found = Self.findings(Array(prefix))
      if Self.certainlyBroken(prefix) && !found.contains(where: { $0.rule == "unresolved" }) { missing.append(n) }
    }
    #expect(missing.isEmpty, "\(name): prefixes of these lengths are broken but have no unresolved finding: \(missing.prefix(20))")
  }

  @Test(arguments: [
    "layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return x\n",
    "layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return x\n  }\n}\n}\n}}\n",
    "layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return (x\n  }\n}\n",
    "layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return x)]}\n  }\n}\n",
    "}}}}{{{{",
    "((((((((",
    "config C {\n  a: Int = [1, 2\n}\nlayer L(h: Int) {\n}\n",
    "layer L(h: Int) {\n  let f = [Linear(h, h) for i in 0..<h\n}\n",
  ])
  func unbalancedBrackets(_ source: String) {
    #expect(Self.findings(source).contains { $0.rule == "unresolved" })
  }

  /// Seeded random bytes, random printable ASCII and every byte value: each gets at least one diagnostic, all
  /// of them `unresolved` (nothing else can run on such input) and inside the input.
  @Test func strayBytes() {
    var rng = SplitMix64(seed: 5138)
    for sample in 0..<50 {
      let raw = (0..<400).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      Self.expectOnlyFrontEndDiagnostics(raw, "random bytes, sample \(sample)")
      let ascii = (0..<400).map { _ in UInt8(32 + rng.next() % 95) }
      Self.expectOnlyFrontEndDiagnostics(ascii, "random ASCII, sample \(sample): \(String(decoding: ascii, as: UTF8.self))")
    }
    Self.expectOnlyFrontEndDiagnostics((0...255).map { UInt8($0) }, "every byte value")
    let embedded = Array("layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return x ".utf8)
      + [0x01, 0x7F, 0x1B, 0xFF, 0xC0, 0x80] + Array("\n  }\n}\n".utf8)
    Self.expectOnlyFrontEndDiagnostics(embedded, "control and invalid bytes in a method")
  }

  /// `bytes` get at least one diagnostic, every one `unresolved` with its range inside the input.
  static func expectOnlyFrontEndDiagnostics(_ bytes: [UInt8], _ what: String,
                                            sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let found = findings(bytes)
    #expect(!found.isEmpty, "\(what): no diagnostic", sourceLocation: sourceLocation)
    let wrong = found.filter { $0.rule != "unresolved" || $0.range.start < 0 || $0.range.end > bytes.count }
    #expect(wrong.isEmpty, "\(what): \(wrong.prefix(3).map { "\($0.rule) \($0.range): \($0.message)" })",
            sourceLocation: sourceLocation)
  }

  /// Stray invalid bytes are syntax errors and checking goes on; beyond `TextDetection.minBadBytes` (and 1% of
  /// the file) the file is binary instead: one finding.
  @Test func invalidUTF8Everywhere() {
    let bytes = (0x80...0x9F).map { UInt8($0) } + Array("\nmodel m = Missing()\n".utf8)
    let found = Self.findings(bytes)
    #expect(found.contains { $0.message.contains("'Missing'") })
    #expect(found.count >= 2)
    let binary = Self.findings((0x80...0xFF).map { UInt8($0) } + Array("\nmodel m = Missing()\n".utf8))
    #expect(binary.map { $0.message } == ["not a text file"])
  }

  static let n = 10_000
  static func method(_ body: String) -> String {
    "layer L(h: Int) {\n  func forward(a: Tensor) -> Tensor {\n\(body)\n    return a\n  }\n}\n"
  }

  @Test func deeplyNestedParentheses() {
    let src = Self.method("    let y = " + String(repeating: "(", count: Self.n) + "a" + String(repeating: ")", count: Self.n))
    #expect(Self.findings(src).contains { $0.rule == "unresolved" })
  }

  /// A flat chain is legal however long (it is one level of nesting, not 10,000).
  @Test func longSumChain() {
    let src = Self.method("    let y = " + Array(repeating: "a", count: Self.n).joined(separator: " + "))
    #expect(Self.findings(src).map { $0.message } == [])
  }

  @Test func deeplyNestedIfs() {
    let src = Self.method(String(repeating: "    if true {\n", count: Self.n) + String(repeating: "    }\n", count: Self.n))
    #expect(Self.findings(src).contains { $0.rule == "unresolved" })
  }

  @Test func longMemberChain() {
    let src = Self.method("    let y = a" + String(repeating: ".b", count: Self.n))
    #expect(Self.findings(src).contains { $0.rule == "unresolved" })
  }

  /// What the front end reports for one pathological method body: the message of the first diagnostic, its
  /// line and column, and at most how many diagnostics there may be (recovery may add a few, never one per
  /// level); `nil` for a body that is valid.
  struct Expected: Sendable, CustomTestStringConvertible {
    var name: String
    var body: String
    var message: String?
    var line = 3
    var column = 0
    var atMost = 1
    var testDescription: String { name }
  }

  /// Each shape nests 10,000 deep; the limit is 200 levels, so the diagnostic is at the 200th level (column
  /// 13 + 199 for one-character prefixes, the start of the chain for postfix chains).
  static let pathologicalShapes: [Expected] = [
    Expected(name: "prefix minus", body: "    let y = " + String(repeating: "-", count: n) + "a",
             message: "expression is nested too deeply (more than 200 levels)", column: 212),
    Expected(name: "array literals",
             body: "    let y = " + String(repeating: "[", count: n) + "a" + String(repeating: "]", count: n),
             message: "expression is nested too deeply (more than 200 levels)", column: 212),
    Expected(name: "call chain", body: "    let y = silu" + String(repeating: "(a)", count: n),
             message: "expression is nested too deeply (more than 200 levels)", column: 13),
    Expected(name: "ternary chain", body: "    let y = " + String(repeating: "true ? a : ", count: n) + "a",
             message: "expression is nested too deeply (more than 200 levels)", column: 2198, atMost: 3),
    Expected(name: "if expressions", body: "    let y = " + String(repeating: "if true { ", count: n) + "a"
               + String(repeating: " } else { a }", count: n),
             message: "an 'if' used as a value needs an 'else' branch", column: 1993, atMost: 3),
    Expected(name: "subscript chain", body: "    let y = a" + String(repeating: "[0]", count: n),
             message: "expression is nested too deeply (more than 200 levels)", column: 13),
    // Block comments nest without a limit: this one is closed, so the method is valid.
    Expected(name: "nested block comments",
             body: String(repeating: "    /*", count: n) + String(repeating: "*/", count: n), message: nil),
  ]

  @Test(arguments: pathologicalShapes)
  func otherPathologicalShapes(_ shape: Expected) throws {
    let source = Self.method(shape.body)
    let file = SourceFile(id: 0, path: "robust.mdl", bytes: Array(source.utf8))
    let found = Self.findings(source).sorted { $0.range < $1.range }
    guard let message = shape.message else {
      #expect(found.isEmpty, "\(found.prefix(3).map { $0.message })")
      return
    }
    #expect(!found.isEmpty && found.count <= shape.atMost, "\(found.count): \(found.prefix(5).map { $0.message })")
    #expect(found.allSatisfy { $0.rule == "unresolved" && file.lineColumn(of: Int($0.range.start)).0 == shape.line })
    let first = try #require(found.first)
    let (line, column) = file.lineColumn(of: Int(first.range.start))
    #expect(first.message == message)
    #expect(line == shape.line && column == shape.column, "at \(line):\(column)")
    if shape.atMost > 1 {
      #expect(found.contains { $0.message == "expression is nested too deeply (more than 200 levels)" })
    }
  }

  /// 2,000 layers, each building the next: one diagnostic, for the last one's missing callee.
  @Test func longChainOfLayers() {
    let source = (0..<2_000).map { "layer L\($0)(h: Int) { let f = L\($0 + 1)(h) }" }.joined(separator: "\n")
    let file = SourceFile(id: 0, path: "robust.mdl", bytes: Array(source.utf8))
    let found = Self.findings(source)
    #expect(found.map { $0.message } == ["cannot find 'L2000' in scope"])
    if let d = found.first {
      let (line, column) = file.lineColumn(of: Int(d.range.start))
      #expect(line == 2000 && column == 31, "at \(line):\(column)")
    }
  }
}

/// A tiny deterministic generator, so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
