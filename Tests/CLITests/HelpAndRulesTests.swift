import Foundation
import Testing

/// `--help` of every command, `rules` and `explain`, against golden files in `fixtures/cli/help/`.
@Suite struct HelpAndRulesTests {
  @Test(arguments: [
    (["--help"], "metalint"),
    (["check", "--help"], "check"),
    (["fix", "--help"], "fix"),
    (["run", "--help"], "run"),
    (["compile", "--help"], "compile"),
    (["rules", "--help"], "rules"),
    (["explain", "--help"], "explain"),
    (["rules"], "rules-list"),
    (["explain", "dropped-context"], "explain-dropped-context"),
    (["explain", "unused-suppression"], "explain-unused-suppression"),
  ])
  func golden(_ args: [String], _ name: String) {
    let r = Metalint.run(args)
    #expect(r.status == 0 && r.stderr == "", "\(r)")
    Golden.check(r.stdout, against: Metalint.fixtures.appendingPathComponent("help/\(name).txt"))
  }

  @Test func helpSpellings() {
    let top = Metalint.run(["--help"])
    #expect(Metalint.run(["-h"]) == top)
    #expect(Metalint.run(["help"]) == top)
    #expect(Metalint.run(["check", "-h"]) == Metalint.run(["check", "--help"]))
    #expect(Metalint.run(["check", "m.mdl", "--format", "json", "--help"]) == Metalint.run(["check", "--help"]))
  }

  @Test func version() {
    #expect(Metalint.run(["--version"]) == Outcome(status: 0, stdout: "metalint 0.1.0\n", stderr: ""))
  }

  /// `rules` lists every rule `explain` knows, and every listed rule explains.
  @Test func everyListedRuleExplains() {
    let ids = Metalint.run(["rules"]).stdout.split(separator: "\n").compactMap { $0.split(separator: " ").first }
    #expect(ids.count >= 9)
    for id in ids {
      let r = Metalint.run(["explain", String(id)])
      #expect(r.status == 0 && r.stdout.hasPrefix("\(id) ("), "\(id): \(r)")
    }
  }
}
