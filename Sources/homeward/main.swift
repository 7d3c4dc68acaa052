import Foundation
import HomewardApp

// The desktop app. GTK owns the main thread from here on; see MainLoopBridge for how
// Swift concurrency keeps running inside its loop.
let options: LaunchOptions
do {
    options = try LaunchOptions.parse(Array(CommandLine.arguments.dropFirst()))
} catch LaunchOptions.ParseError.helpRequested {
    print(LaunchOptions.usage)
    exit(0)
} catch {
    FileHandle.standardError.write(Data("homeward: \(error)\n".utf8))
    exit(2)
}
let status = MainActor.assumeIsolated {
    HomewardApplication(options: options).run()
}
exit(status)
