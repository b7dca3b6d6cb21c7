import Foundation
import MetaLint
import MetaLintDriver
import ModelDSL
import Testing
import TestSupport

/// `metalint fix` does the whole refactoring of the seed pull request: from `before/` (no context reaches
/// FusedMoE) and from `review/` (the six review findings) it produces a program `check` passes, whose
/// method signatures and call argument lists match `after/`.
@Suite struct SeedFixTests {
  static let seed = FixtureRunner.repoRoot().appendingPathComponent("fixtures/seed-pr")

  static func files(_ state: String) throws -> [(path: String, bytes: [UInt8])] {
    let dir = seed.appendingPathComponent(state)
    return try FixtureRunner.files(under: dir).map { name in
      (name, [UInt8](try Data(contentsOf: dir.appendingPathComponent(name))))
    }
  }

  /// A program's shape: per method, its parameters as `name: Type` (optionality and defaults aside, so that
  /// `forwardMeta: ForwardMeta? = nil` and `forwardMeta: ForwardMeta` compare equal) in any order; per
  /// method, each call's argument values (labels aside) in any order.
  struct Shape: Equatable {
    var signatures: [String: [String]] = [:]
    var calls: [String: [[String]]] = [:]
  }

  static func shape(_ program: Program) -> Shape {
    var s = Shape()
    let names = program.names
    for l in program.layers where !program.isPrelude(l.nameRange) {
      for m in l.methods {
        let q = program.qualifiedName(m)
        s.signatures[q] = m.params.enumerated().map { i, p in
          "\(names.string(p.name)): \(m.paramTypes[i].nonNil.describe(names))"
        }.sorted()
        s.calls[q] = (program.callsByCaller[ObjectIdentifier(m)] ?? []).map { site in
          site.arguments.map { a in
            program.sources.file(a.value.range).text(a.value.range.byteRange)
              .split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
          }.sorted()
        }
      }
    }
    return s
  }

  static func fixed(_ state: String) throws -> (Fixer.Outcome, Shape) {
    let original = try files(state)
    let outcome = Fixer.fix(files: original)
    let updated = original.map { ($0.path, outcome.changed[$0.path] ?? $0.bytes) }
    return (outcome, shape(Linter.check(files: updated).program))
  }

  @Test func reviewIsFixedIntoAfter() throws {
    let (outcome, fixedShape) = try Self.fixed("review")
    #expect(outcome.refusal == nil && outcome.converged)
    #expect(outcome.remaining.findings.isEmpty, "\(outcome.remaining.findings.map { $0.message })")
    #expect(outcome.fixed.count == 6)
    let after = Self.shape(Linter.check(files: try Self.files("after")).program)
    #expect(fixedShape == after)
  }

  /// The one difference from `after/` is on purpose: the real change also gave the dense `Qwen2MLP.forward`
  /// a `forward_meta` it never uses, "to keep the MLP protocol uniform"; nothing needs it there, so `fix`
  /// does not add it.
  @Test func beforeIsThreadedIntoAfter() throws {
    let (outcome, fixedShape) = try Self.fixed("before")
    #expect(outcome.refusal == nil && outcome.converged)
    #expect(outcome.remaining.findings.isEmpty, "\(outcome.remaining.findings.map { $0.message })")
    #expect(outcome.rounds == 1, "the threading closure reaches the roots in one round")
    var after = Self.shape(Linter.check(files: try Self.files("after")).program)
    after.signatures["Qwen2MLP.forward"] = ["x: Tensor"]
    let decoderCalls = after.calls["Qwen2DecoderLayer.forward"] ?? []
    after.calls["Qwen2DecoderLayer.forward"] = decoderCalls.map { args in
      args.contains("post_attention_layernorm(h)") ? args.filter { $0 != "forwardMeta" } : args
    }
    for (method, signature) in after.signatures {
      #expect(fixedShape.signatures[method] == signature, "\(method)")
    }
    for (method, calls) in after.calls {
      #expect(fixedShape.calls[method] == calls, "\(method)")
    }
    #expect(fixedShape == after)
  }

  @Test func fixingAfterChangesNothing() throws {
    let outcome = Fixer.fix(files: try Self.files("after"))
    #expect(outcome.changed.isEmpty)
  }
}
