import Foundation
import Testing
import TestSupport

/// `fix`, `run` and `compile` end to end, through the built binary.
@Suite struct FixRunCompileTests {
  static let dropping = """
    extern func use_m(x: Tensor, m: ForwardMeta) -> Tensor
    layer L(h: Int) {
      func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {
        return use_m(x)
      }
    }

    """

  @Test func fixDiffPrintsAndWritesNothing() throws {
    let dir = try TempDir(["m.mdl": Self.dropping])
    defer { dir.remove() }
    let r = Metalint.run(["fix", "--diff", "m.mdl"], in: dir.url)
    #expect(r.status == 1, "\(r)")
    #expect(r.stdout == """
      --- a/m.mdl
      +++ b/m.mdl
      @@ -1,6 +1,6 @@
       extern func use_m(x: Tensor, m: ForwardMeta) -> Tensor
       layer L(h: Int) {
         func forward(x: Tensor, forwardMeta: ForwardMeta) -> Tensor {
      -    return use_m(x)
      +    return use_m(x, forwardMeta)
         }
       }

      """)
    #expect(try String(contentsOf: dir.url.appendingPathComponent("m.mdl"), encoding: .utf8) == Self.dropping)
    // Nothing to fix: exit 0, no output.
    let clean = try TempDir(["c.mdl": "layer C(h: Int) {}\n"])
    defer { clean.remove() }
    #expect(Metalint.run(["fix", "--diff", "c.mdl"], in: clean.url) == Outcome(status: 0, stdout: "", stderr: ""))
  }

  @Test func fixWritesKeepsPermissionsAndIsIdempotent() throws {
    let dir = try TempDir(["m.mdl": Self.dropping])
    defer { dir.remove() }
    let path = dir.url.appendingPathComponent("m.mdl").path
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
    let r = Metalint.run(["fix", "m.mdl"], in: dir.url)
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.contains("fixed 1 finding in 1 file"))
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.contains("return use_m(x, forwardMeta)"))
    let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    #expect(mode == 0o640)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.url.path) == ["m.mdl"], "no temporary file left")
    let again = Metalint.run(["fix", "m.mdl"], in: dir.url)
    #expect(again.status == 0 && again.stdout.hasPrefix("fixed 0 findings"), "\(again)")
    #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
  }

  /// Killed between writing the temporary file and renaming it over the original: the original is intact.
  @Test func killedBeforeTheRenameLeavesTheOriginalIntact() throws {
    let dir = try TempDir(["m.mdl": Self.dropping])
    defer { dir.remove() }
    let flag = dir.url.appendingPathComponent("paused").path
    let p = Process()
    p.executableURL = Metalint.binary
    p.arguments = ["fix", "m.mdl"]
    p.currentDirectoryURL = dir.url
    var env = ProcessInfo.processInfo.environment
    env["METALINT_TEST_PAUSE_BEFORE_RENAME"] = flag
    p.environment = env
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: flag) && Date() < deadline && p.isRunning { usleep(20_000) }
    #expect(FileManager.default.fileExists(atPath: flag), "the fix never reached the rename")
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    #expect(p.terminationReason == .uncaughtSignal)
    let original = try String(contentsOf: dir.url.appendingPathComponent("m.mdl"), encoding: .utf8)
    #expect(original == Self.dropping)
    // The temporary file holds the complete new text, beside the untouched original.
    let temp = try String(contentsOfFile: flag, encoding: .utf8)
    let tempURL = temp.hasPrefix("/") ? URL(fileURLWithPath: temp) : dir.url.appendingPathComponent(temp)
    #expect(try String(contentsOf: tempURL, encoding: .utf8).contains("use_m(x, forwardMeta)"))
  }

  @Test func aMissingPathWritesNothing() throws {
    let dir = try TempDir(["m.mdl": Self.dropping])
    defer { dir.remove() }
    let r = Metalint.run(["fix", "m.mdl", "nope.mdl"], in: dir.url)
    #expect(r.status == 2 && r.stderr == "metalint: error: nope.mdl: no such file or directory\n", "\(r)")
    #expect(try String(contentsOf: dir.url.appendingPathComponent("m.mdl"), encoding: .utf8) == Self.dropping)
  }

  @Test func runWithoutWeightsOnAShippedModel() {
    let r = Metalint.run(["run", "fixtures/models/qwen3_moe.mdl", "--model", "qwen3_moe", "--tokens", "3"])
    #expect(r.status == 0, "\(r)")
    #expect(r.stdout.hasPrefix("model 'qwen3_moe': input [3, 16] -> output [3, 16]\n"), "\(r)")
    #expect(r.stdout.contains("experts hit: mlp.experts "), "\(r)")
  }

  @Test func runWritesAnOutputThatDoesNotDependOnPhaseOrChunks() throws {
    let dir = try TempDir()
    defer { dir.remove() }
    let ref = "fixtures/reference/deepseek_v3"
    var outputs: [Data] = []
    for extra in [[String](), ["--phase", "decode"], ["--chunk-size", "1"]] {
      let out = dir.url.appendingPathComponent("o\(outputs.count).safetensors").path
      let r = Metalint.run(["run", "fixtures/models/deepseek_v3.mdl", "--model", "deepseek_v3", "--prefix",
                            "model.layers.0.", "--weights", "\(ref)/weights_f32.safetensors", "--input",
                            "\(ref)/io.safetensors", "--output", out] + extra)
      #expect(r.status == 0, "\(r)")
      outputs.append(try Data(contentsOf: URL(fileURLWithPath: out)))
    }
    #expect(outputs.count == 3 && outputs.allSatisfy { $0.count == outputs[0].count && $0.count > 8 })
  }

  @Test func runErrors() throws {
    let r = Metalint.run(["run", "fixtures/models/qwen3_moe.mdl", "--tokens", "2"])
    #expect(r.status == 0 && r.stdout.hasPrefix("model 'qwen3_moe': input [2, 16] -> output [2, 16] (the first of 2 models"), "\(r)")
    let unknown = Metalint.run(["run", "fixtures/models/qwen3_moe.mdl", "--model", "nope"])
    #expect(unknown.status == 1 && unknown.stderr.contains("no model named 'nope' (the program has: qwen3_moe, qwen3_moe_nonorm)"), "\(unknown)")
    let bad = Metalint.run(["run", "fixtures/models/qwen3_moe.mdl", "--model", "qwen3_moe", "--weights",
                            "fixtures/models/qwen3_moe.mdl"])
    #expect(bad.status == 2 && bad.stderr.hasPrefix("metalint: error: fixtures/models/qwen3_moe.mdl:"), "\(bad)")
    let phase = Metalint.run(["run", "fixtures/models/qwen3_moe.mdl", "--phase", "sideways"])
    #expect(phase.status == 2, "\(phase)")
    let broken = Metalint.run(["run", "../shared/spec/conformance/03_binding.mdl"])
    #expect(broken.status == 1 && broken.stderr.contains("[unresolved]"), "\(broken)")
  }

  /// The generated Swift compiles outside the package: swiftc against the built Reference module.
  @Test(.enabled(if: Metalint.available(["swiftc", "--version"]), "swiftc is not on PATH"))
  func compileOutputBuildsWithSwiftc() throws {
    let dir = try TempDir()
    defer { dir.remove() }
    let out = dir.url.appendingPathComponent("gen").path
    let r = Metalint.run(["compile", "fixtures/codegen/constructs.mdl", "fixtures/models/qwen3_moe.mdl",
                          "--output", out])
    #expect(r.status == 0 && r.stdout == "wrote 3 files to \(out)\n", "\(r)")
    let modules = Metalint.binary.deletingLastPathComponent().appendingPathComponent("Modules").path
    let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted().map { out + "/" + $0 }
    let swiftc = Metalint.shell(["swiftc", "-parse-as-library", "-c", "-I", modules, "-module-name", "Generated",
                                 "-warnings-as-errors"] + files, in: dir.url)
    #expect(swiftc.status == 0, "\(swiftc)")
  }

  @Test func compileRefusesAProgramWithErrors() throws {
    let dir = try TempDir()
    defer { dir.remove() }
    let out = dir.url.appendingPathComponent("gen").path
    let r = Metalint.run(["compile", "../shared/spec/conformance/01_spec_example.mdl", "--output", out])
    #expect(r.status == 1 && r.stderr.contains("[dropped-context]") && r.stdout.isEmpty, "\(r)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }
}

/// `--write-baseline` then `--baseline`: known findings are left out, new ones still fail, and moving code
/// does not revive a known one.
@Suite struct BaselineTests {
  @Test func baselineLeavesOutKnownFindingsOnly() throws {
    let dir = try TempDir(["m.mdl": FixRunCompileTests.dropping])
    defer { dir.remove() }
    let write = Metalint.run(["check", "m.mdl", "--write-baseline", "base.json"], in: dir.url)
    #expect(write == Outcome(status: 0, stdout: "wrote 1 finding to baseline base.json\n", stderr: ""))
    let json = try String(contentsOf: dir.url.appendingPathComponent("base.json"), encoding: .utf8)
    #expect(json.contains("\"line_text\": \"return use_m(x)\""), "\(json)")
    #expect(Metalint.run(["check", "m.mdl", "--baseline", "base.json"], in: dir.url).status == 0)
    // Blank lines above move the finding; still known.
    try dir.write("m.mdl", "\n\n" + FixRunCompileTests.dropping)
    #expect(Metalint.run(["check", "m.mdl", "--baseline", "base.json"], in: dir.url).status == 0)
    // A second, new drop is reported.
    try dir.write("m.mdl", FixRunCompileTests.dropping.replacingOccurrences(
      of: "return use_m(x)", with: "let y = use_m(x)\n    return use_m(x)"))
    let r = Metalint.run(["check", "m.mdl", "--baseline", "base.json"], in: dir.url)
    #expect(r.status == 1 && r.stdout.contains("let y = use_m(x)") && r.stdout.contains("1 error"), "\(r)")
    let bad = Metalint.run(["check", "m.mdl", "--baseline", "m.mdl"], in: dir.url)
    #expect(bad.status == 2 && bad.stderr.hasPrefix("metalint: error: m.mdl: not a metalint baseline"), "\(bad)")
  }
}
