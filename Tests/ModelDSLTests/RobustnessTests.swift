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

  /// Seeded random bytes, random printable ASCII and every byte value.
  @Test func strayBytes() {
    var rng = SplitMix64(seed: 5138)
    for _ in 0..<50 {
      let raw = (0..<400).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      #expect(!Self.findings(raw).isEmpty)
      let ascii = (0..<400).map { _ in UInt8(32 + rng.next() % 95) }
      _ = Self.findings(ascii)
    }
    #expect(!Self.findings((0...255).map { UInt8($0) }).isEmpty)
    let embedded = Array("layer L(h: Int) {\n  func forward(x: Tensor) -> Tensor {\n    return x ".utf8)
      + [0x01, 0x7F, 0x1B, 0xFF, 0xC0, 0x80] + Array("\n  }\n}\n".utf8)
    let found = Self.findings(embedded)
    #expect(!found.isEmpty && found.allSatisfy { $0.rule == "unresolved" && $0.range.start >= 0 })
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

  @Test func otherPathologicalShapes() {
    let shapes = [
      "    let y = " + String(repeating: "-", count: Self.n) + "a",
      "    let y = " + String(repeating: "[", count: Self.n) + "a" + String(repeating: "]", count: Self.n),
      "    let y = silu" + String(repeating: "(a)", count: Self.n),
      "    let y = " + String(repeating: "true ? a : ", count: Self.n) + "a",
      "    let y = " + String(repeating: "if true { ", count: Self.n) + "a" + String(repeating: " } else { a }", count: Self.n),
      "    let y = a" + String(repeating: "[0]", count: Self.n),
      String(repeating: "    /*", count: Self.n) + String(repeating: "*/", count: Self.n),
    ]
    for body in shapes {
      _ = Self.findings(Self.method(body))
    }
    let manyLayers = (0..<2_000).map { "layer L\($0)(h: Int) { let f = L\($0 + 1)(h) }" }.joined(separator: "\n")
    _ = Self.findings(manyLayers)
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
