import Foundation
@testable import MetaLint
import MetaLintDriver
import ModelDSL
import Testing
import TestSupport

/// `metalint fix` in-process: golden files per fix, and properties over the whole fixture corpus.
@Suite struct FixTests {
  static let root = FixtureRunner.repoRoot()
  static let fixDir = root.appendingPathComponent("fixtures/fix")
  static var goldenCases: [String] { FixtureRunner.files(under: fixDir) }

  static func read(_ url: URL) -> [UInt8] { [UInt8]((try? Data(contentsOf: url)) ?? Data()) }

  @Test(arguments: goldenCases)
  func golden(_ name: String) throws {
    let url = Self.fixDir.appendingPathComponent(name)
    // `*.unsafe.mdl` goldens are fixed with --unsafe-fixes.
    let unsafe = name.hasSuffix(".unsafe.mdl")
    let outcome = Fixer.fix(files: [(url.path, Self.read(url))], options: Fixer.Options(unsafeFixes: unsafe))
    #expect(outcome.refusal == nil)
    #expect(outcome.converged)
    let fixed = outcome.changed[url.path] ?? Self.read(url)
    let goldenURL = URL(fileURLWithPath: url.path + ".golden")
    if ProcessInfo.processInfo.environment["METALINT_UPDATE_GOLDENS"] != nil {
      try Data(fixed).write(to: goldenURL)
    }
    let golden = Self.read(goldenURL)
    let diff = UnifiedDiff.diff(old: golden, new: fixed, path: name)
    #expect(fixed == golden, "\(name): fix output differs from its golden:\n\(diff)")
    // The fixed program has nothing left that a safe fix could change.
    let after = Linter.check(files: [(url.path, fixed)])
    #expect(!after.findings.contains { $0.fixIts.contains { $0.safety == .safe || unsafe } })
  }

  @Test func goldenCorpusCoversTheHardCases() {
    let names = Set(Self.goldenCases)
    for required in ["crlf.mdl", "comments_in_args.mdl", "union_field.mdl", "thread_transitive.mdl"] {
      #expect(names.contains(required))
    }
    let crlf = Self.read(Self.fixDir.appendingPathComponent("crlf.mdl.golden"))
    #expect(crlf.contains(13), "the CRLF golden keeps its CRLF line ends")
  }

  /// Every fixture program: a second fix changes nothing; the fixed findings are gone; a program that check
  /// passes is left byte-identical.
  static var corpus: [String] {
    let dirs = ["fixtures/fix", "fixtures/lint", "fixtures/dsl", "fixtures/models"]
    var out: [String] = []
    for d in dirs {
      out += FixtureRunner.files(under: root.appendingPathComponent(d)).map { d + "/" + $0 }
    }
    let conformance = root.deletingLastPathComponent().appendingPathComponent("shared/spec/conformance")
    out += FixtureRunner.files(under: conformance).map { "../shared/spec/conformance/" + $0 }
    return out
  }

  @Test(arguments: corpus)
  func fixProperties(_ relative: String) {
    let url = Self.root.appendingPathComponent(relative).standardizedFileURL
    let original = Self.read(url)
    let before = Linter.check(files: [(url.path, original)])
    let first = Fixer.fix(files: [(url.path, original)])
    let once = first.changed[url.path] ?? original
    if before.findings.isEmpty {
      #expect(once == original, "\(relative): a clean program was changed")
    }
    guard first.refusal == nil else { return }
    let second = Fixer.fix(files: [(url.path, once)])
    #expect(second.changed.isEmpty, "\(relative): fix is not idempotent")
    let sources = first.remaining.program.sources
    for d in first.remaining.findings {
      let text = sources.file(d.range).lineText(sources.location(d.range).line - 1)
      #expect(!d.fixIts.contains { $0.safety == .safe },
              "\(relative): safe fix left unapplied: \(d.rule): \(d.message) on '\(text)'")
    }
  }

  @Test func overlappingFixesConvergeOverRounds() {
    // Two context parameters missing in one method: both fixes add a parameter at the same place, so the
    // second waits for the next round.
    let src = """
      context A {
        v: Int = 1
      }
      context B {
        w: Int = 1
      }
      extern func need_a(x: Tensor, a: A) -> Tensor
      extern func need_b(x: Tensor, b: B) -> Tensor
      layer L(h: Int) {
        func forward(x: Tensor) -> Tensor {
          return need_a(x) + need_b(x)
        }
      }
      """
    let outcome = Fixer.fix(files: [("t.mdl", Array(src.utf8))])
    #expect(outcome.converged)
    #expect(outcome.rounds == 2)
    let text = String(decoding: outcome.changed["t.mdl"] ?? [], as: UTF8.self)
    #expect(text.contains("func forward(x: Tensor, a: A, b: B) -> Tensor"))
    #expect(text.contains("need_a(x, a) + need_b(x, b)"))
    #expect(outcome.remaining.findings.isEmpty)
  }

  /// Two contexts added to one method conflict (both parameters go after the last one): the second waits
  /// for the next round, so one round is not enough.
  @Test func nonConvergenceIsReported() {
    let src = """
      context A {
        v: Int = 1
      }
      context B {
        w: Int = 1
      }
      extern func need_a(x: Tensor, a: A) -> Tensor
      extern func need_b(x: Tensor, b: B) -> Tensor
      layer L(h: Int) {
        func forward(x: Tensor) -> Tensor {
          return need_a(x) + need_b(x)
        }
      }
      """
    let outcome = Fixer.fix(files: [("t.mdl", Array(src.utf8))], options: Fixer.Options(maxRounds: 1))
    #expect(!outcome.converged)
    #expect(outcome.rounds == 1)
  }

  @Test func anAddedParameterNeverCollidesWithAnExistingOne() {
    let src = """
      extern func use(x: Tensor, forwardMeta: ForwardMeta) -> Tensor
      layer L(h: Int) {
        func forward(x: Tensor, forwardMeta: Int) -> Tensor {
          return use(x)
        }
      }
      """
    let outcome = Fixer.fix(files: [("t.mdl", Array(src.utf8))])
    #expect(outcome.refusal == nil)
    let text = String(decoding: outcome.changed["t.mdl"] ?? [], as: UTF8.self)
    #expect(text.contains("func forward(x: Tensor, forwardMeta: Int, forwardMeta2: ForwardMeta) -> Tensor"))
    #expect(text.contains("use(x, forwardMeta2)"))
    #expect(outcome.remaining.findings.isEmpty)
  }

  @Test func aFixThatWouldIntroduceAnErrorIsRefused() {
    let clean = Linter.check(files: [("t.mdl", Array("layer L(h: Int) {}\n".utf8))])
    let broken = Linter.check(files: [("t.mdl", Array("layer L(h: Int) { let a = nope }\n".utf8))])
    #expect(Fixer.newErrors(before: clean, after: clean) == nil)
    let refusal = Fixer.newErrors(before: clean, after: broken)
    #expect(refusal?.contains("cannot find 'nope' in scope") == true)
    // Errors the program already had are not new.
    #expect(Fixer.newErrors(before: broken, after: broken) == nil)
  }
}

/// Writing fixed files: atomically, keeping permissions, never over a file that changed since it was read.
@Suite struct SafeWriterTests {
  @Test func aFileChangedOnDiskIsNotWritten() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("sw-\(UUID().uuidString).mdl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data("edited by someone else\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: SafeWriter.Failure.self) {
      try SafeWriter.write(Array("fixed\n".utf8), to: path, expectedOriginal: Array("as read\n".utf8))
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "edited by someone else\n")
    let dir = (path as NSString).deletingLastPathComponent
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("metalint-") && $0.hasSuffix(".tmp") }
      .filter { $0.contains((path as NSString).lastPathComponent) }.isEmpty)
  }

  @Test func writesAtomicallyAndKeepsPermissions() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("sw-\(UUID().uuidString).mdl").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data("old\r\n".utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    try SafeWriter.write(Array("new\r\n".utf8), to: path, expectedOriginal: Array("old\r\n".utf8))
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("new\r\n".utf8))
    let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    #expect(mode == 0o600)
  }
}
