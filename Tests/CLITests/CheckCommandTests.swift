import Foundation
import Testing
import TestSupport

/// `metalint check` end to end: exact stdout, stderr and exit status of the built binary.
@Suite struct CheckCommandTests {
  @Test func cleanFileExitsZero() throws {
    let dir = try TempDir(["clean.mdl": Programs.clean])
    defer { dir.remove() }
    let r = Metalint.run(["check", "clean.mdl"], in: dir.url)
    #expect(r == Outcome(status: 0, stdout: "checked 1 file: no findings\n", stderr: ""), "\(r)")
  }

  @Test func errorFindingExitsOne() throws {
    let dir = try TempDir(["m.mdl": Programs.dropped])
    defer { dir.remove() }
    let r = Metalint.run(["check", "m.mdl"], in: dir.url)
    #expect(r.status == 1)
    #expect(r.stderr == "")
    #expect(r.stdout.hasPrefix(
      "m.mdl:7:12: error: call to 'use_m' drops 'm: M'; pass the 'm' in scope [dropped-context]\n"))
    #expect(r.stdout.hasSuffix("checked 1 file: 1 error, 0 warnings (1 fixable with 'metalint fix')\n"))
  }

  static let conformanceFiles = FixtureRunner.files(under: Metalint.conformance)

  /// Every conformance program has an error finding, so `check` exits 1 and prints nothing on stderr; the
  /// text output is pinned by a golden file (run in the conformance directory, so paths are stable).
  @Test(arguments: conformanceFiles)
  func conformanceText(_ name: String) {
    let r = Metalint.run(["check", name], in: Metalint.conformance)
    #expect(r.status == 1, "\(r)")
    #expect(r.stderr == "")
    Golden.check(r.stdout, against: Metalint.fixtures.appendingPathComponent("conformance/\(name).txt"))
  }

  /// The conformance README asks for this: `check --format json` on each file, held to its expectations.
  @Test(arguments: conformanceFiles)
  func conformanceJSON(_ name: String) throws {
    let r = Metalint.run(["check", "--format", "json", name], in: Metalint.conformance)
    #expect(r.status == 1 && r.stderr == "", "\(r)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let findings = try #require(object?["findings"] as? [[String: Any]])
    var found: [Expectations.Found] = []
    for f in findings {
      let rule = try #require(f["rule"] as? String)
      let severity = try #require(f["severity"] as? String)
      let message = try #require(f["message"] as? String)
      #expect(f["file"] as? String == name)
      let line = try #require(f["line"] as? Int)
      let column = try #require(f["column"] as? Int)
      #expect(["error", "warning", "note"].contains(severity))
      #expect(line >= 1 && column >= 1 && !message.isEmpty)
      found.append(Expectations.Found(line: line, rule: rule, message: message))
    }
    let source = String(decoding: try Data(contentsOf: Metalint.conformance.appendingPathComponent(name)), as: UTF8.self)
    let failures = Expectations(source: source).verify(found, strict: false)
    #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
  }

  @Test func jsonShape() throws {
    let dir = try TempDir(["m.mdl": Programs.warningThenError])
    defer { dir.remove() }
    let r = Metalint.run(["check", "m.mdl", "--format=json"], in: dir.url)
    #expect(r.status == 1 && r.stderr == "", "\(r)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(findings.count == 2)
    let w = findings[0]
    #expect(w["rule"] as? String == "argument-order")
    #expect(w["severity"] as? String == "warning")
    #expect(w["message"] as? String == "argument 'n' must precede argument 'm' in call to 'k'")
    #expect(w["file"] as? String == "m.mdl")
    #expect(w["line"] as? Int == 8)
    #expect(w["column"] as? Int == 24)
    #expect(findings[1]["rule"] as? String == "dropped-context")
    #expect(findings[1]["severity"] as? String == "error")
    #expect(findings[1]["line"] as? Int == 9)
    let summary = try #require(object["summary"] as? [String: Any])
    #expect(summary["errors"] as? Int == 1 && summary["warnings"] as? Int == 1 && summary["files"] as? Int == 1)
  }

  @Test func selectIgnoreAndStrict() throws {
    let dir = try TempDir(["w.mdl": Programs.warningOnly, "e.mdl": Programs.warningThenError])
    defer { dir.remove() }
    // A warning alone exits 0; --strict makes it fail.
    #expect(Metalint.run(["check", "w.mdl"], in: dir.url).status == 0)
    #expect(Metalint.run(["check", "w.mdl", "--strict"], in: dir.url).status == 1)
    // --ignore drops the rule; --select keeps only the listed ones.
    let ignored = Metalint.run(["check", "e.mdl", "--ignore", "dropped-context"], in: dir.url)
    #expect(ignored.status == 0)
    #expect(ignored.stdout.hasSuffix("checked 1 file: 0 errors, 1 warning (1 fixable with 'metalint fix')\n"))
    #expect(!ignored.stdout.contains("[dropped-context]"))
    let selected = Metalint.run(["check", "e.mdl", "--select=dropped-context, unresolved"], in: dir.url)
    #expect(selected.status == 1)
    #expect(!selected.stdout.contains("[argument-order]") && selected.stdout.contains("[dropped-context]"))
    let both = Metalint.run(["check", "e.mdl", "--select", "argument-order", "--ignore", "argument-order"],
                            in: dir.url)
    #expect(both == Outcome(status: 0, stdout: "checked 1 file: no findings\n", stderr: ""), "\(both)")
    // An unknown rule is a usage error.
    let bad = Metalint.run(["check", "e.mdl", "--select", "no-such-rule"], in: dir.url)
    #expect(bad == Outcome(status: 2, stdout: "",
                           stderr: "metalint: error: unknown rule 'no-such-rule'; 'metalint rules' lists them\n"),
            "\(bad)")
  }

  @Test func configurationFoundUpward() throws {
    let dir = try TempDir([
      ".metalint.json": #"{"ignore": ["dropped-context"], "strict": true}"#,
      "models/deep/w.mdl": Programs.warningOnly,
      "models/e/e.mdl": Programs.dropped,
    ])
    defer { dir.remove() }
    // ignore: the error is gone; strict: the warning fails the run.
    let e = Metalint.run(["check", "models/e/e.mdl"], in: dir.url)
    #expect(e == Outcome(status: 0, stdout: "checked 1 file: no findings\n", stderr: ""), "\(e)")
    #expect(Metalint.run(["check", "models/deep/w.mdl"], in: dir.url).status == 1)
    // Found from the checked path, not only from the working directory.
    let sub = dir.url.appendingPathComponent("models/deep")
    #expect(Metalint.run(["check", "w.mdl"], in: sub).status == 1)
    #expect(Metalint.run(["check"], in: sub).stdout.hasPrefix("w.mdl:7:23: warning:"))

    // select and severity overrides.
    try dir.write(".metalint.json", #"{"select": ["argument-order"], "severity": {"argument-order": "error"}}"#)
    let w = Metalint.run(["check", "models/deep/w.mdl"], in: dir.url)
    #expect(w.status == 1)
    #expect(w.stdout.hasPrefix("models/deep/w.mdl:7:23: error: argument 'n' must precede argument 'm'"))
    let onlyOrder = Metalint.run(["check", "models/e/e.mdl"], in: dir.url)
    #expect(onlyOrder.status == 0 && onlyOrder.stdout == "checked 1 file: no findings\n", "\(onlyOrder)")
    // The command line wins: --select replaces the file's selection.
    #expect(Metalint.run(["check", "models/e/e.mdl", "--select", "dropped-context"], in: dir.url).status == 1)

    try dir.write(".metalint.json", #"{"severity": {"dropped-context": "warning"}}"#)
    let demoted = Metalint.run(["check", "models/e/e.mdl"], in: dir.url)
    #expect(demoted.status == 0)
    #expect(demoted.stdout.hasPrefix("models/e/e.mdl:7:12: warning: call to 'use_m' drops 'm: M'"))
  }

  /// A bad configuration: exit 2, nothing on stdout, one line on stderr naming the file.
  @Test(arguments: [
    (#"{"select": "dropped-context"}"#, "'select' must be a list of rule identifiers"),
    (#"{"strict": 1}"#, "'strict' must be true or false"),
    (#"{"strict": "yes"}"#, "'strict' must be true or false"),
    (#"{"ignore": ["argument-order", 3]}"#, "'ignore' must be a list of rule identifiers"),
    (#"{"ignore": ["nope"]}"#, "unknown rule 'nope'; 'metalint rules' lists them"),
    (#"{"severity": {"dropped-context": "fatal"}}"#,
     #"severity of 'dropped-context' must be "error", "warning" or "note", not "fatal""#),
    (#"{"selct": []}"#, "unknown key 'selct' (expected select, ignore, strict, severity)"),
    (#"{"select": ["#, "invalid JSON in configuration file"),
    ("[]", "the configuration must be a JSON object"),
  ])
  func badConfiguration(_ json: String, _ complaint: String) throws {
    let dir = try TempDir([".metalint.json": json, "m.mdl": Programs.clean])
    defer { dir.remove() }
    let r = Metalint.run(["check", "m.mdl"], in: dir.url)
    let file = dir.url.appendingPathComponent(".metalint.json").path
    #expect(r == Outcome(status: 2, stdout: "", stderr: "metalint: error: \(file): \(complaint)\n"), "\(r)")
  }

  @Test func nonexistentPath() throws {
    let dir = try TempDir(["m.mdl": Programs.clean])
    defer { dir.remove() }
    let r = Metalint.run(["check", "m.mdl", "missing.mdl"], in: dir.url)
    #expect(r == Outcome(status: 2, stdout: "",
                         stderr: "metalint: error: missing.mdl: no such file or directory\n"), "\(r)")
  }

  @Test(arguments: [
    (["check", "--frobnicate"], "metalint: error: unknown option '--frobnicate'\n"),
    (["check", "-x"], "metalint: error: unknown option '-x'\n"),
    (["check", "--format", "xml"], "metalint: error: unknown format 'xml' (expected text, json, sarif or github)\n"),
    (["check", "--format"], "metalint: error: option '--format' needs a value\n"),
    (["check", "--strict=yes"], "metalint: error: option '--strict' takes no value\n"),
    (["lint"], "metalint: error: unknown subcommand 'lint'; see 'metalint --help'\n"),
    (["explain"], "metalint: error: 'explain' takes one rule identifier\n"),
    (["explain", "no-such-rule"], "metalint: error: unknown rule 'no-such-rule'; 'metalint rules' lists them\n"),
    (["rules", "extra"], "metalint: error: 'rules' takes no arguments\n"),
  ])
  func usageErrors(_ args: [String], _ stderr: String) throws {
    let dir = try TempDir(["m.mdl": Programs.clean])
    defer { dir.remove() }
    let r = Metalint.run(args, in: dir.url)
    #expect(r == Outcome(status: 2, stdout: "", stderr: stderr), "\(r)")
  }

  @Test func noArgumentsPrintsHelpOnStderr() {
    let r = Metalint.run([])
    #expect(r.status == 2 && r.stdout == "")
    #expect(r.stderr.hasPrefix("OVERVIEW: "))
  }

  /// A directory is searched recursively for `*.mdl`, hidden directories skipped, in a stable order; with no
  /// PATH, the current directory.
  @Test func directorySearchedRecursively() throws {
    let dir = try TempDir([
      "models/b.mdl": Programs.dropped,
      "models/sub/a.mdl": Programs.clean.replacingOccurrences(of: "layer L", with: "layer A")
        .replacingOccurrences(of: "context M", with: "context N").replacingOccurrences(of: ": M", with: ": N")
        .replacingOccurrences(of: "use_m", with: "use_n"),
      "models/.hidden/bad.mdl": "this is not ModelDSL\n",
      "models/.also-hidden.mdl": "nor is this\n",
      "models/notes.txt": "not a model\n",
      ".git/x.mdl": "nor this\n",
    ])
    defer { dir.remove() }
    let r = Metalint.run(["check", "--format", "json", "models"], in: dir.url)
    #expect(r.status == 1 && r.stderr == "", "\(r)")
    let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let findings = try #require(object?["findings"] as? [[String: Any]])
    #expect(findings.map { $0["file"] as? String } == ["models/b.mdl"])
    #expect((object?["summary"] as? [String: Any])?["files"] as? Int == 2)
    let here = Metalint.run(["check"], in: dir.url.appendingPathComponent("models"))
    #expect(here.status == 1 && here.stdout.hasPrefix("b.mdl:7:12: error:"), "\(here)")
    #expect(here.stdout.hasSuffix("checked 2 files: 1 error, 0 warnings (1 fixable with 'metalint fix')\n"))
  }
}

extension CheckCommandTests {
  /// A file named twice, under different spellings or through its directory, is checked once.
  @Test func fileNamedTwiceIsCheckedOnce() throws {
    let dir = try TempDir(["models/m.mdl": Programs.dropped])
    defer { dir.remove() }
    let once = Metalint.run(["check", "models/m.mdl"], in: dir.url)
    #expect(once.status == 1)
    for args in [["models/m.mdl", "./models/m.mdl"], ["models/m.mdl", "models"], ["models", "models/../models/"]] {
      let r = Metalint.run(["check"] + args, in: dir.url)
      #expect(r == once, "\(args): \(r)")
    }
  }
}
