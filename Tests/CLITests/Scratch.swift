import Foundation
import XCTest

/// Where the CLI tests' throwaway projects live: one directory per test process, removed when
/// the test bundle finishes, so a test run leaves nothing behind in the temporary directory (the
/// projects, caches and renders of a full run come to about 800 MB).
enum Scratch {
    static let directory: String = {
        let path = NSTemporaryDirectory() + "ntsbuild-e2e-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: path)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        XCTestObservationCenter.shared.addTestObserver(Cleanup(path: path))
        return path
    }()

    /// A path in the scratch directory that nothing uses yet (not created).
    static func fresh(_ prefix: String = "project") -> String {
        directory + "/" + prefix + "-" + UUID().uuidString
    }

    private final class Cleanup: NSObject, XCTestObservation {
        let path: String
        init(path: String) { self.path = path }
        func testBundleDidFinish(_ testBundle: Bundle) {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
