import Foundation
import MetaLint
import MetaLintDriver
import Testing

/// `--format github`: workflow commands escaped as `@actions/core` does, case-sensitive property names,
/// errors before warnings (GitHub keeps only the first ten of each per step), and a closing summary notice.
@Suite struct GitHubAnnotationTests {
  @Test func messageEscaping() {
    #expect(GitHubReporter.escapeData("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b")
    #expect(GitHubReporter.escapeData("%0A") == "%250A")
  }

  @Test func propertyEscaping() {
    #expect(GitHubReporter.escapeProperty("C:\\dir,x/50%\nq") == "C%3A\\dir%2Cx/50%25%0Aq")
    #expect(GitHubReporter.escapeProperty("metalint (dropped-context)") == "metalint (dropped-context)")
  }

  @Test func exactOutputErrorsFirst() throws {
    let dir = try TempDir(["m.mdl": Programs.warningThenError])
    defer { dir.remove() }
    let r = Metalint.run(["check", "--format", "github", "m.mdl"], in: dir.url)
    #expect(r == Outcome(status: 1, stdout: """
      ::error file=m.mdl,line=9,endLine=9,col=16,endColumn=21,title=metalint (dropped-context)::call to 'use_m' \
      drops 'm: M'; pass the 'm' in scope
      ::warning file=m.mdl,line=8,endLine=8,col=24,endColumn=28,title=metalint (argument-order)::argument 'n' \
      must precede argument 'm' in call to 'k'
      ::notice title=metalint::checked 1 file: 1 error, 1 warning (2 fixable with 'metalint fix')

      """, stderr: ""), "\(r)")
  }

  /// `%` in a message, and `,` `:` `%` in a file name, escaped end to end.
  @Test func escapingEndToEnd() throws {
    let program = "layer L(h: Int) {\n  func f(x: Tensor) -> Tensor {\n    return x % 2\n  }\n}\n"
    let dir = try TempDir(["50%,a:b.mdl": program])
    defer { dir.remove() }
    let r = Metalint.run(["check", "--format", "github", "50%,a:b.mdl"], in: dir.url)
    #expect(r.status == 1 && r.stderr == "")
    let first = r.stdout.split(separator: "\n").first.map(String.init) ?? ""
    #expect(first == "::error file=50%25%2Ca%3Ab.mdl,line=3,endLine=3,col=12,endColumn=17,"
      + "title=metalint (unresolved)::binary operator '%25' cannot be applied to operands of type 'Tensor' and 'Int'")
  }

  @Test func cleanRunPrintsOnlyTheNotice() throws {
    let dir = try TempDir(["m.mdl": Programs.clean])
    defer { dir.remove() }
    let r = Metalint.run(["check", "--format", "github"], in: dir.url)
    #expect(r == Outcome(status: 0, stdout: "::notice title=metalint::checked 1 file: no findings\n", stderr: ""))
  }

  /// Property names are GitHub's, case-sensitive: `endLine`, `endColumn`, `col` (not `endline`, `column`).
  @Test func propertyNames() throws {
    let dir = try TempDir(["m.mdl": Programs.dropped])
    defer { dir.remove() }
    let line = Metalint.run(["check", "--format", "github"], in: dir.url).stdout.split(separator: "\n")[0]
    let props = line.dropFirst("::error ".count).prefix { $0 != ":" }.split(separator: ",")
      .map { String($0.prefix { $0 != "=" }) }
    #expect(props == ["file", "line", "endLine", "col", "endColumn", "title"])
  }

  /// Past GitHub's ten annotations of a kind per step the rest are dropped silently, so the summary says so.
  @Test func manyFindingsSummaryPointsToSARIF() throws {
    let calls = (1...12).map { "    let a\($0) = use_m(x)\n" }.joined()
    let program = Programs.dropped.replacingOccurrences(of: "    return use_m(x)\n", with: calls + "    return x\n")
    let dir = try TempDir(["m.mdl": program])
    defer { dir.remove() }
    let r = Metalint.run(["check", "--format", "github"], in: dir.url)
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("::error ") }.count == 12)
    #expect(lines.last.map(String.init) == "::notice title=metalint::checked 1 file: 12 errors, 0 warnings (12 fixable with "
      + "'metalint fix'); GitHub shows only the first 10 annotations of each severity per step, "
      + "upload --format sarif to see them all")
  }
}
