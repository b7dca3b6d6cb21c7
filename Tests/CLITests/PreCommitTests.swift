import Foundation
import Testing

/// The hook in `.pre-commit-hooks.yaml`, run by the real `pre-commit` (PyPI) through `git commit` in a temporary
/// repository: a staged buggy `.mdl` file makes the commit fail with metalint's finding; once corrected, it
/// passes.
///
/// The hook repository is a snapshot commit of this work tree (tracked and untracked, not ignored files), so
/// the test checks the hook as it stands, not as last committed. It takes the real `language: swift` path:
/// pre-commit builds the package with `swift build -c release` in its cache (a fresh `PRE_COMMIT_HOME` in the
/// temporary directory), measured at about 50 s on the 2-core machine, well under the 3-minute budget, so
/// a `repo: local` hook pointing at the debug binary, which would not test the manifest, is not needed.
@Suite struct PreCommitTests {
  static let tools = Metalint.available(["python3", "-m", "pre_commit", "--version"])
    && Metalint.available(["git", "--version"]) && Metalint.available(["swift", "--version"])

  @Test(.enabled(if: tools, "needs git, swift and python3 with pre-commit (pip install pre-commit; .ci/run does)"),
        .timeLimit(.minutes(10)))
  func hookFailsThenPasses() throws {
    let start = ContinuousClock.now
    let dir = try TempDir()
    defer { dir.remove() }
    let env = [
      "PRE_COMMIT_HOME": dir.url.appendingPathComponent("cache").path,
      "GIT_AUTHOR_NAME": "metalint tests", "GIT_AUTHOR_EMAIL": "tests@example.invalid",
      "GIT_COMMITTER_NAME": "metalint tests", "GIT_COMMITTER_EMAIL": "tests@example.invalid",
      "GIT_CONFIG_NOSYSTEM": "1", "HOME": dir.url.path,
    ]
    func sh(_ argv: [String], in url: URL) -> Outcome { Metalint.shell(argv, in: url, env: env) }
    func git(_ args: [String], in url: URL) -> Outcome {
      sh(["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"] + args, in: url)
    }

    // The hook repository: a one-commit snapshot of this work tree.
    let hookRepo = try TempDir()
    defer { hookRepo.remove() }
    let listed = sh(["git", "ls-files", "-co", "--exclude-standard", "-z"], in: Metalint.root)
    try #require(listed.status == 0, "\(listed)")
    for path in listed.stdout.split(separator: "\0") {
      let source = Metalint.root.appendingPathComponent(String(path))
      guard let data = FileManager.default.contents(atPath: source.path) else { continue }
      let target = hookRepo.url.appendingPathComponent(String(path))
      try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
      try data.write(to: target)
    }
    for args in [["init", "-q"], ["add", "-A"], ["commit", "-qm", "snapshot"]] {
      let r = git(args, in: hookRepo.url)
      try #require(r.status == 0, "git \(args): \(r)")
    }
    let rev = git(["rev-parse", "HEAD"], in: hookRepo.url).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

    // The user's repository, with the hook installed and a buggy model staged.
    let user = dir.url.appendingPathComponent("user")
    try dir.write("user/.pre-commit-config.yaml", """
      repos:
        - repo: \(hookRepo.url.path)
          rev: \(rev)
          hooks:
            - id: metalint

      """)
    try dir.write("user/models/moe.mdl", Programs.dropped)
    try dir.write("user/README.txt", "not a model\n")
    try #require(git(["init", "-q"], in: user).status == 0)
    let install = sh(["python3", "-m", "pre_commit", "install"], in: user)
    try #require(install.status == 0, "\(install)")
    _ = git(["add", "-A"], in: user)

    let failing = git(["commit", "-qm", "buggy model"], in: user)
    let built = ContinuousClock.now
    #expect(failing.status == 1, "\(failing)")
    let output = failing.stdout + failing.stderr
    #expect(output.contains("metalint....") && output.contains("Failed"), "\(output)")
    #expect(output.contains("models/moe.mdl:7:12: error: call to 'use_m' drops 'm: M'"), "\(output)")
    #expect(git(["rev-list", "--all"], in: user).stdout.isEmpty, "the buggy commit must not land")

    // Corrected, the commit passes.
    try dir.write("user/models/moe.mdl", Programs.clean)
    _ = git(["add", "-A"], in: user)
    let passing = git(["commit", "-qm", "corrected model"], in: user)
    #expect(passing.status == 0, "\(passing)")
    #expect((passing.stdout + passing.stderr).contains("Passed"), "\(passing)")
    // A commit that changes no model file does not run the hook (files: \.mdl$).
    try dir.write("user/README.txt", "still not a model\n")
    _ = git(["add", "README.txt"], in: user)
    let skipped = git(["commit", "-qm", "docs"], in: user)
    #expect(skipped.status == 0 && (skipped.stdout + skipped.stderr).contains("(no files to check)Skipped"),
            "\(skipped)")
    #expect(git(["rev-list", "--count", "HEAD"], in: user).stdout == "2\n")
    print("PreCommitTests: first hook run (release build in pre-commit's cache) \(built - start), "
      + "total \(ContinuousClock.now - start)")
  }
}
