import ArgumentParser
import Graph
import Nodes

/// ntsbuild's exit statuses, after BSD's sysexits where one fits (the README lists them):
/// 0 done, 1 a node failed, 64 a bad command line, 65 a bad Buildfile, preset or input file
/// found before building, 66 a missing file, 69 a service it needs is missing (no Slurm client), 130 interrupted (Ctrl-C).
enum ExitStatus: Int32 {
    case buildFailed = 1
    case usage = 64
    case badInput = 65
    case missingInput = 66
    case unavailable = 69
    case interrupted = 130

    /// The status an error ends the command with.
    static func of(_ error: Error) -> ExitStatus {
        switch error {
        case GraphError.interrupted: return .interrupted
        case is UsageError, GraphError.unknownNode, StillError.badTarget, StillError.unknownTrack, StillError.badTime, StillError.beyondEnd:
            return .usage
        case AudioError.missing, is MissingFileError: return .missingInput
        // A source file the build could not read (not there, or not readable): the engine reports
        // it as that file node's failure (`GraphError.missingSource` never leaves the engine).
        case GraphError.nodeFailed(let id, _) where id.isFile: return .missingInput
        case SlurmError.missingTool: return .unavailable
        case let error as ConfigError: return error.fromCommandLine ? .usage : .badInput
        case let errors as ConfigErrors: return errors.errors.allSatisfy(\.fromCommandLine) ? .usage : .badInput
        case AlbumGraphError.noAlbumCut, AudioError.unreadable, AudioError.empty: return .badInput
        case is AlbumGraphError: return .usage
        default: return .buildFailed
        }
    }

    var exitCode: ExitCode { ExitCode(rawValue) }
}

extension ConfigError {
    /// A mistake in a `--set` argument rather than in a file.
    var fromCommandLine: Bool { location.file.hasPrefix("--set ") }
}
