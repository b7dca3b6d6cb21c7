import Foundation
import Testing
import TestSupport

/// What one run of the built `metalint` printed and returned.
struct Outcome: Equatable, CustomStringConvertible {
  var status: Int32
  var stdout: String
  var stderr: String

  var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)---" }
}

/// Runs the built `metalint` binary as a user would (swift-argument-parser's end-to-end test shape).
enum Metalint {
  static let root = FixtureRunner.repoRoot()
  static let fixtures = root.appendingPathComponent("fixtures/cli")
  static let conformance = root.deletingLastPathComponent().appendingPathComponent("shared/spec/conformance")

  /// The executable: `METALINT_BIN`, else the one beside this test bundle in the build products directory
  /// (where `swift test` builds it), else `.build/debug`, else built now with `swift build`.
  static let binary: URL = locate()

  static func locate() -> URL {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["METALINT_BIN"] { return URL(fileURLWithPath: env) }
    var dirs: [URL] = []
    if let exe = Bundle.main.executableURL { dirs.append(exe.deletingLastPathComponent()) }
    dirs.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
    dirs += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
    dirs.append(root.appendingPathComponent(".build/debug"))
    for d in dirs {
      let candidate = d.appendingPathComponent("metalint")
      if fm.isExecutableFile(atPath: candidate.path) { return candidate.standardizedFileURL }
    }
    _ = shell(["swift", "build", "--product", "metalint"], in: root)
    let bin = shell(["swift", "build", "--show-bin-path"], in: root).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return URL(fileURLWithPath: bin).appendingPathComponent("metalint")
  }

  /// Runs `metalint ARGS` in `dir` with a clean, colourless environment plus `env`.
  static func run(_ args: [String], in dir: URL? = nil, env: [String: String] = [:], input: String? = nil) -> Outcome {
    shell([binary.path] + args, in: dir ?? root, env: env, input: input)
  }

  /// Runs a program (looked up on PATH unless absolute), capturing stdout and stderr through files so that a
  /// large output never blocks on a full pipe.
  static func shell(_ argv: [String], in dir: URL, env: [String: String] = [:], input: String? = nil) -> Outcome {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    p.currentDirectoryURL = dir
    var environment = ProcessInfo.processInfo.environment
    for k in ["NO_COLOR", "METALINT_BIN", "GITHUB_ACTIONS"] { environment[k] = nil }
    environment["TERM"] = "dumb"
    for (k, v) in env { environment[k] = v }
    p.environment = environment
    let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("metalint-out-\(UUID().uuidString)")
    let outURL = tmp.appendingPathExtension("stdout")
    let errURL = tmp.appendingPathExtension("stderr")
    let inURL = tmp.appendingPathExtension("stdin")
    if let input { _ = FileManager.default.createFile(atPath: inURL.path, contents: Data(input.utf8)) }
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    defer {
      try? FileManager.default.removeItem(at: outURL)
      try? FileManager.default.removeItem(at: errURL)
      try? FileManager.default.removeItem(at: inURL)
    }
    do {
      let out = try FileHandle(forWritingTo: outURL)
      let err = try FileHandle(forWritingTo: errURL)
      p.standardOutput = out
      p.standardError = err
      p.standardInput = input == nil ? FileHandle.nullDevice : try FileHandle(forReadingFrom: inURL)
      try p.run()
      p.waitUntilExit()
      try out.close()
      try err.close()
    } catch {
      return Outcome(status: -1, stdout: "", stderr: "could not run \(argv): \(error)")
    }
    let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
    let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
    return Outcome(status: p.terminationStatus, stdout: stdout, stderr: stderr)
  }

  /// Whether a program is on PATH and answers `args` with status 0.
  static func available(_ argv: [String]) -> Bool {
    shell(argv, in: FileManager.default.temporaryDirectory).status == 0
  }
}

/// A fresh temporary directory holding `files` (relative path → contents), removed by the caller.
struct TempDir {
  let url: URL

  init(_ files: [String: String] = [:]) throws {
    url = FileManager.default.temporaryDirectory.appendingPathComponent("metalint-cli-\(UUID().uuidString)")
      .resolvingSymlinksInPath()
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    for (path, text) in files { try write(path, text) }
  }

  func write(_ path: String, _ text: String) throws {
    let file = url.appendingPathComponent(path)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: file)
  }

  func remove() { try? FileManager.default.removeItem(at: url) }
}

/// Golden files: compared exactly, or rewritten when `METALINT_UPDATE_GOLDENS=1`.
enum Golden {
  static var updating: Bool { ProcessInfo.processInfo.environment["METALINT_UPDATE_GOLDENS"] == "1" }

  static func check(_ actual: String, against file: URL, sourceLocation: SourceLocation = #_sourceLocation) {
    if updating {
      try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try? Data(actual.utf8).write(to: file)
      return
    }
    guard let data = FileManager.default.contents(atPath: file.path) else {
      Issue.record("missing golden \(file.path); run with METALINT_UPDATE_GOLDENS=1 to create it",
                   sourceLocation: sourceLocation)
      return
    }
    let expected = String(decoding: data, as: UTF8.self)
    if expected != actual {
      Issue.record("""
        \(file.lastPathComponent) differs (METALINT_UPDATE_GOLDENS=1 rewrites it)
        \(firstDifference(expected, actual))
        """, sourceLocation: sourceLocation)
    }
  }

  /// The first differing line of two texts, for a readable failure.
  static func firstDifference(_ a: String, _ b: String) -> String {
    let la = a.split(separator: "\n", omittingEmptySubsequences: false)
    let lb = b.split(separator: "\n", omittingEmptySubsequences: false)
    for i in 0..<max(la.count, lb.count) {
      let x = i < la.count ? String(la[i]) : "<end>"
      let y = i < lb.count ? String(lb[i]) : "<end>"
      if x != y { return "line \(i + 1):\n  expected: \(x)\n  actual:   \(y)" }
    }
    return "(same lines; line endings differ)"
  }
}
