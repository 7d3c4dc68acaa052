import ArgumentParser
import SyncServer

/// `homeward-server`: the Homeward sync server and its administrative commands.
///
/// ```
/// homeward-server serve --data /var/lib/homeward-server --port 8420
/// homeward-server demo-data --patients 200 --seed 7 --data ./server-data
/// homeward-server ward add CARD-1 --name "Cardiology 1" --data ./server-data
/// printf '%s\n' "$PASSWORD" | homeward-server user add li.na --role ward-nurse --ward CARD-1 --data ./server-data
/// ```
@main
struct HomewardServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "homeward-server",
        abstract: "The Homeward sync server: merges the wards' changes and serves them back.",
        discussion: """
            The data directory is --data DIR, else $HOMEWARD_DATA_DIR, else \
            $XDG_DATA_HOME/homeward-server (~/.local/share/homeward-server).
            """,
        version: ServerVersion.current,
        subcommands: [Serve.self, DemoData.self, UserCommand.self, WardCommand.self],
        defaultSubcommand: Serve.self)
}
