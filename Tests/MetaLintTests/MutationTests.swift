import Foundation
import MetaLint
import MetaLintDriver
import DSLInterpreter
import ModelDSL
import SwiftCodeGen
import Reference
import Testing
import TestSupport

/// Seeded mutations of the fixture programs (a line deleted or duplicated, two lines swapped, a token's worth
/// of bytes cut, an argument dropped) through the whole pipeline: `check`, `fix` and, for programs without
/// errors, `compile` and `run`. Nothing may crash or hang; `fix` never writes a program with an `unresolved` finding
/// it did not have (compared as a multiset of messages), and is idempotent.
@Suite struct MutationTests {
  struct SplitMix {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(max(1, bound)))
    }
  }

  static let sources: [String] = {
    let root = FixtureRunner.repoRoot().appendingPathComponent("fixtures")
    var out: [String] = []
    for dir in ["lint", "fix", "models", "codegen"] {
      for name in FixtureRunner.files(under: root.appendingPathComponent(dir)) {
        if let s = try? String(contentsOf: root.appendingPathComponent(dir).appendingPathComponent(name), encoding: .utf8) {
          out.append(s)
        }
      }
    }
    return out
  }()

  static func mutate(_ text: String, _ rng: inout SplitMix) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard lines.count > 2 else { return text }
    switch rng.next(5) {
    case 0: lines.remove(at: rng.next(lines.count))
    case 1:
      let i = rng.next(lines.count)
      lines.insert(lines[i], at: i)
    case 2: lines.swapAt(rng.next(lines.count), rng.next(lines.count))
    case 3:
      let i = rng.next(lines.count)
      var bytes = Array(lines[i].utf8)
      if !bytes.isEmpty {
        let a = rng.next(bytes.count)
        bytes.removeSubrange(a..<min(bytes.count, a + 1 + rng.next(6)))
      }
      lines[i] = String(decoding: bytes, as: UTF8.self)
    default:
      // Drop the last argument of some call: the bug class this tool exists for.
      let i = rng.next(lines.count)
      if let close = lines[i].lastIndex(of: ")"), let comma = lines[i][..<close].lastIndex(of: ",") {
        lines[i].removeSubrange(comma..<close)
      }
    }
    return lines.joined(separator: "\n")
  }

  /// The messages of a result's `unresolved` findings, counted (a fix may not add one, even a duplicate).
  static func unresolved(_ result: LintResult) -> Multiset {
    Multiset(result.findings.filter { $0.rule == "unresolved" }.map { $0.message })
  }

  /// Messages with their counts.
  struct Multiset: Equatable, CustomStringConvertible {
    var counts: [String: Int] = [:]
    init(_ items: [String]) { for m in items { counts[m, default: 0] += 1 } }
    var isEmpty: Bool { counts.isEmpty }
    /// What `self` has more of than `other`.
    func subtracting(_ other: Multiset) -> Multiset {
      var out = Multiset([])
      for (m, n) in counts where n > other.counts[m, default: 0] { out.counts[m] = n - other.counts[m, default: 0] }
      return out
    }
    var description: String { counts.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", ") }
  }

  @Test(arguments: 0..<16)
  func mutatedProgramsNeverCrashThePipeline(_ batch: Int) throws {
    var rng = SplitMix(state: 0xC0FFEE &+ UInt64(batch))
    for _ in 0..<25 {
      var text = Self.sources[rng.next(Self.sources.count)]
      for _ in 0...rng.next(3) { text = Self.mutate(text, &rng) }
      let files = [(path: "m.mdl", bytes: Array(text.utf8))]
      let before = Linter.check(files: files)
      let outcome = Fixer.fix(files: files, options: Fixer.Options(unsafeFixes: rng.next(2) == 0))
      if outcome.refusal == nil, let fixed = outcome.changed["m.mdl"] {
        #expect(Fixer.fix(files: [("m.mdl", fixed)]).changed.isEmpty, "fix is not idempotent on:\n\(text)")
        let after = Linter.check(files: [(path: "m.mdl", bytes: fixed)])
        let new = Self.unresolved(after).subtracting(Self.unresolved(before))
        #expect(new.isEmpty, """
          fix introduced \(new) on:
          \(text)
          --- fixed:
          \(String(decoding: fixed, as: UTF8.self))
          """)
      }
      if before.errorCount == 0 {
        _ = try? SwiftGenerator.generate(before.program)
        // And run it, when it declares a model: a run-time error is fine, a crash is not.
        var settings = ModelRunner.Settings()
        settings.tokens = 1 + rng.next(3)
        settings.phase = rng.next(2) == 0 ? "prefill" : "decode"
        settings.chunkSize = rng.next(2) == 0 ? nil : 1
        if let runner = try? ModelRunner(program: before.program, weights: WeightSource(file: nil, seed: 1),
                                         settings: settings), let input = try? runner.randomInput() {
          _ = try? runner.run(input)
        }
      }
    }
  }
}
