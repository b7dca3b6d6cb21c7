import Foundation
import Testing
import TestSupport

/// `--format sarif` as GitHub code scanning accepts it, checked twice: by an independent SARIF 2.1.0 model
/// (`sarif-pydantic`, PyPI) plus GitHub's required properties in `fixtures/cli/validate_sarif.py`, and by
/// Swift-side assertions on the same properties and on fingerprint stability.
@Suite struct SARIFTests {
  static let validator = Metalint.fixtures.appendingPathComponent("validate_sarif.py")
  static let hasValidator = Metalint.available(["python3", "-c", "import sarif_pydantic"])

  static func sarif(_ args: [String], in dir: URL) throws -> (Outcome, [String: Any]) {
    let r = Metalint.run(["check", "--format", "sarif"] + args, in: dir)
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    return (r, try #require(object, "not a JSON object: \(r)"))
  }

  static func results(_ log: [String: Any]) -> [[String: Any]] {
    ((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
  }

  static func region(_ result: [String: Any]) -> [String: Int] {
    let loc = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
    return (loc?["region"] as? [String: Int]) ?? [:]
  }

  static func uri(_ result: [String: Any]) -> String? {
    let loc = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
    return (loc?["artifactLocation"] as? [String: Any])?["uri"] as? String
  }

  static func fingerprint(_ result: [String: Any]) -> String? {
    (result["partialFingerprints"] as? [String: String])?["primaryLocationLineHash"]
  }

  /// Every conformance program's SARIF, a clean run's, and a multi-file run's pass the independent validator.
  @Test(.enabled(if: hasValidator, "needs python3 with the sarif-pydantic package (pip install sarif-pydantic)"))
  func independentValidatorAcceptsOutput() throws {
    let dir = try TempDir([
      "clean/m.mdl": Programs.clean, "two/a b.mdl": Programs.warningThenError, "two/c.mdl": Programs.clean,
    ])
    defer { dir.remove() }
    var logs: [String] = []
    for name in FixtureRunner.files(under: Metalint.conformance) {
      let r = Metalint.run(["check", "--format", "sarif", name], in: Metalint.conformance)
      #expect(r.status == 1 && r.stderr == "", "\(name): \(r)")
      logs.append(r.stdout)
    }
    for args in [["clean"], ["two"], ["../\(dir.url.lastPathComponent)/two/c.mdl", "clean"]] {
      let r = Metalint.run(["check", "--format", "sarif"] + args, in: dir.url)
      #expect(r.stderr == "" && r.status != 2, "\(args): \(r)")
      logs.append(r.stdout)
    }
    var files: [String] = []
    for (i, log) in logs.enumerated() {
      try dir.write("out/\(i).sarif", log)
      files.append(dir.url.appendingPathComponent("out/\(i).sarif").path)
    }
    let v = Metalint.shell(["python3", Self.validator.path] + files, in: dir.url)
    #expect(v.status == 0, "SARIF rejected:\n\(v.stdout)\(v.stderr)")
  }

  /// The validator is not a rubber stamp: a log missing GitHub-required properties fails it.
  @Test(.enabled(if: hasValidator, "needs python3 with the sarif-pydantic package (pip install sarif-pydantic)"))
  func independentValidatorRejectsBrokenLog() throws {
    let dir = try TempDir(["m.mdl": Programs.dropped])
    defer { dir.remove() }
    let (_, log) = try Self.sarif(["m.mdl"], in: dir.url)
    var run = (log["runs"] as! [[String: Any]])[0]
    var driver = (run["tool"] as! [String: Any])["driver"] as! [String: Any]
    var rules = driver["rules"] as! [[String: Any]]
    rules[0]["help"] = nil
    driver["rules"] = rules
    run["tool"] = ["driver": driver]
    var results = run["results"] as! [[String: Any]]
    results[0]["partialFingerprints"] = nil
    run["results"] = results
    var broken = log
    broken["runs"] = [run]
    try dir.write("bad.sarif", String(decoding: try JSONSerialization.data(withJSONObject: broken), as: UTF8.self))
    let v = Metalint.shell(["python3", Self.validator.path, "bad.sarif"], in: dir.url)
    #expect(v.status == 1)
    #expect(v.stdout.contains("'help.text' is required"), "\(v)")
    #expect(v.stdout.contains("primaryLocationLineHash is required"), "\(v)")
  }

  @Test func githubRequiredProperties() throws {
    let dir = try TempDir(["models/m.mdl": Programs.warningThenError])
    defer { dir.remove() }
    let (r, log) = try Self.sarif(["models"], in: dir.url)
    #expect(r.status == 1 && r.stderr == "")
    #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
    #expect(log["version"] as? String == "2.1.0")
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(driver["name"] as? String == "metalint")
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(rules.count >= 9)
    for rule in rules {
      let id = try #require(rule["id"] as? String)
      for key in ["shortDescription", "fullDescription", "help"] {
        let text = (rule[key] as? [String: Any])?["text"] as? String ?? ""
        #expect(!text.isEmpty && text.count <= 1024, "\(id).\(key): \(text.count) characters")
      }
    }
    let results = Self.results(log)
    #expect(results.map { $0["ruleId"] as? String } == ["argument-order", "dropped-context"])
    #expect(results.map { $0["level"] as? String } == ["warning", "error"])
    for (res, (line, col, end)) in zip(results, [(8, 24, 28), (9, 16, 21)]) {
      #expect(((res["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
      #expect((res["locations"] as? [Any])?.count == 1)
      #expect(Self.uri(res) == "models/m.mdl")
      // endColumn is exclusive: `n: 3` at 24..<28, `use_m` at 16..<21.
      #expect(Self.region(res) == ["startLine": line, "startColumn": col, "endLine": line, "endColumn": end])
      #expect(Self.fingerprint(res)?.isEmpty == false)
      let index = try #require(res["ruleIndex"] as? Int)
      #expect(rules[index]["id"] as? String == res["ruleId"] as? String)
    }
  }

  /// The same finding moved down by inserted lines keeps its fingerprint; a different line text or file does
  /// not; two runs print the same bytes.
  @Test func fingerprintsStableAcrossLineMoves() throws {
    let dir = try TempDir([
      "a.mdl": Programs.warningThenError,
      "b.mdl": "// a comment\n\n\n" + Programs.warningThenError,
    ])
    defer { dir.remove() }
    let (ra, a) = try Self.sarif(["a.mdl"], in: dir.url)
    let (_, b) = try Self.sarif(["b.mdl"], in: dir.url)
    let (again, _) = try Self.sarif(["a.mdl"], in: dir.url)
    #expect(ra.stdout == again.stdout)
    let ra0 = Self.results(a), rb0 = Self.results(b)
    #expect(ra0.count == 2 && rb0.count == 2)
    #expect(Self.region(ra0[1])["startLine"] == 9 && Self.region(rb0[1])["startLine"] == 12)
    try dir.write("b.mdl", Programs.warningThenError)
    let (_, sameFile) = try Self.sarif(["b.mdl"], in: dir.url)
    for i in 0..<2 {
      #expect(Self.fingerprint(Self.results(sameFile)[i]) == Self.fingerprint(rb0[i]))
    }
    // Fingerprints name the file: the same text in a.mdl differs.
    #expect(Self.fingerprint(ra0[1]) != Self.fingerprint(rb0[1]))
    #expect(Self.fingerprint(ra0[0]) != Self.fingerprint(ra0[1]))
  }

  /// Two identical findings on identical lines get distinct fingerprints (GitHub's `hash:occurrence` form).
  @Test func repeatedLinesGetDistinctFingerprints() throws {
    let program = Programs.dropped.replacingOccurrences(
      of: "    return use_m(x)\n", with: "    let a = use_m(x)\n    let a2 = use_m(x)\n    let b = use_m(x)\n    return use_m(x)\n")
      .replacingOccurrences(of: "let a2 = use_m(x)", with: "let a = use_m(x)")
    let dir = try TempDir(["m.mdl": program])
    defer { dir.remove() }
    let (_, log) = try Self.sarif(["m.mdl"], in: dir.url)
    let prints = Self.results(log).filter { $0["ruleId"] as? String == "dropped-context" }.compactMap(Self.fingerprint)
    #expect(prints.count == 4)
    #expect(Set(prints).count == prints.count, "\(prints)")
  }

  /// Paths: relative to the working directory and percent-encoded; a file outside it gets an absolute
  /// `file://` URI, never a relative reference that climbs out of the repository.
  @Test func uris() throws {
    let dir = try TempDir(["repo/dir with space/m.mdl": Programs.dropped, "outside/o.mdl": Programs.dropped])
    defer { dir.remove() }
    let repo = dir.url.appendingPathComponent("repo")
    let (_, inside) = try Self.sarif(["dir with space/m.mdl"], in: repo)
    #expect(Self.uri(Self.results(inside)[0]) == "dir%20with%20space/m.mdl")
    let (_, outside) = try Self.sarif(["../outside/o.mdl"], in: repo)
    let o = try #require(Self.results(outside).first)
    #expect(Self.uri(o) == "file://" + dir.url.appendingPathComponent("outside/o.mdl").path)
    let artifact = (o["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
    #expect((artifact?["artifactLocation"] as? [String: Any])?["uriBaseId"] == nil)
  }
}
