import ArgumentParser
import Foundation
import Nodes

/// Options every command shares: which Buildfile, and the overlays on top of it.
struct ProjectOptions: ParsableArguments {
    @Option(name: [.customShort("f"), .customLong("buildfile")], help: "The Buildfile.")
    var buildfile = "Buildfile.yaml"

    @Option(name: .customLong("set"), help: ArgumentHelp("Override a config key, e.g. encoder.crf=20 (repeatable).", valueName: "KEY=VALUE"),
            completion: .custom(Completions.settings))
    var sets: [String] = []

    @Option(name: .customLong("preset"), help: "Overlay presets/NAME.yaml on every track (repeatable).", completion: .custom(Completions.presets))
    var presets: [String] = []

    @Flag(help: "A cheap look: frames about 480 pixels wide, x264 ultrafast, crf 30 (features and trajectory reused).")
    var draft = false

    func workspace(trim: ClosedRange<Double>? = nil) throws -> Workspace {
        try Workspace(buildfile: buildfile, overrides: Overrides(presets: presets, sets: sets, draft: draft), trim: trim)
    }
}

/// Runs a command body, turning any error into one line on stderr (one per mistake when a
/// Buildfile has several) and the exit status its kind calls for (`ExitStatus`). With `json`,
/// each line is also an `error` event on stdout.
func reportingErrors(json: Bool = false, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let messages = String(describing: error).split(separator: "\n").map(String.init)
        FileHandle.standardError.write(Data(messages.map { "ntsbuild: error: \($0)\n" }.joined().utf8))
        let status = ExitStatus.of(error)
        if json {
            for message in messages { JSONEventStream.writeLine(["event": "error", "message": message, "exit_status": Int(status.rawValue)]) }
        }
        throw status.exitCode
    }
}

/// Said once when another ntsbuild holds the cache lock in the way.
func waitingForLockMessage() {
    FileHandle.standardError.write(Data("ntsbuild: waiting for another ntsbuild process to release the cache…\n".utf8))
}
