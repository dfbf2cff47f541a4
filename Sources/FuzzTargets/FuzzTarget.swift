import Foundation

/// One input handed to a reader under test. A target must end every input in a value or a typed
/// error with a one-line description; a trap, a hang, a stack overflow or an allocation beyond
/// the bound (libFuzzer's -malloc_limit_mb in `make fuzz`) is the finding.
///
/// The same entry points serve the libFuzzer binaries (Tests/Fuzz) and the seeded replay in the
/// unit tests, so every corpus file and every crash once found stays a test.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case buildfile
    case safetensors
    case audio
    case image

    public func run(_ input: Data) {
        switch self {
        case .buildfile: BuildfileFuzz.run(input)
        case .safetensors: SafetensorsFuzz.run(input)
        case .audio: AudioFuzz.run(input)
        case .image: ImageFuzz.run(input)
        }
    }
}

/// A failure the reader should have reported as a one-line error: stops the fuzzer with a crash
/// report, and fails the replay test.
func requireOneLine(_ error: Error, _ target: FuzzTarget) {
    let text = "\(error)"
    if text.contains("\n") || text.isEmpty {
        fatalError("\(target): error is not one line: \(text.debugDescription)")
    }
}

/// A scratch file per process for readers that take a path, on tmpfs when there is one.
enum ScratchFile {
    static let directory: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let dir = "\(base)/ntsbuild-fuzz-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }()

    static func write(_ data: Data, name: String) -> String {
        let path = directory + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: data)
        return path
    }
}
