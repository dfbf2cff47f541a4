import ArgumentParser
import Foundation
import Graph
import Nodes

/// `ntsbuild still track:<id> --at 1:23.5 -o frame.png`: one finished frame, for look development.
struct StillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "still",
        abstract: "Render the frame a track's video shows at a given time as a PNG (features and trajectory come from the cache).")

    @Argument(help: "track:<id>")
    var target: String

    @Option(help: ArgumentHelp("Time into the track's video: seconds (83.5) or m:ss.s (1:23.5).", valueName: "TIME"))
    var at: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "The PNG to write.")
    var output = "still.png"

    @OptionGroup var project: ProjectOptions

    @OptionGroup var parallel: JobsOption

    func run() throws {
        try reportingErrors {
            guard case .track(let trackID)? = NodeID(target).albumNode else { throw StillError.badTarget(target) }
            let seconds = try StillFrame.parseTime(at)
            let workspace = try project.workspace()
            let started = Date()
            let still = try StillFrame.render(workspace: workspace, trackID: trackID,
                                              seconds: seconds, jobs: parallel.count)
            try PNGWriter.write(still.image, to: output)
            FileHandle.standardError.write(Data(String(format: "ntsbuild: wrote %@ (%@ frame %d, %dx%d) in %.2f s\n",
                                                       output, NodeID.track(still.trackID).raw, still.frame, still.image.width, still.image.height,
                                                       Date().timeIntervalSince(started)).utf8))
        }
    }
}
