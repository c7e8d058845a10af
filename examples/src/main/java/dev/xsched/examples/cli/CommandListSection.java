package dev.xsched.examples.cli;

import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Map;

/**
 * The command list of the help: every command with the first line of its description, the
 * commands of a group ({@code bench launch}, {@code bench policies}, ...) listed under it, so one
 * screen shows everything there is to run.
 */
final class CommandListSection implements IHelpSectionRenderer {
    private static final int NAME_WIDTH = 26;

    @Override
    public String render(Help help) {
        if (help.subcommands().isEmpty()) {
            return "";
        }
        int width = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumns(help.colorScheme(), new Column(NAME_WIDTH, 2, Column.Overflow.SPAN),
                new Column(width - NAME_WIDTH, 1, Column.Overflow.WRAP));
        addRows(table, help.subcommands(), "");
        return table.toString();
    }

    /** What picocli's own list shows: the header, or else the description's first line. */
    private static String summary(CommandSpec spec) {
        String[] header = spec.usageMessage().header();
        String[] description = spec.usageMessage().description();
        return header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
    }

    private static void addRows(TextTable table, Map<String, Help> commands, String prefix) {
        commands.forEach((name, help) -> {
            CommandSpec spec = help.commandSpec();
            if (spec.usageMessage().hidden() || !spec.name().equals(name)) {
                return; // hidden, or an alias of a command already listed
            }
            table.addRowValues(prefix + name, summary(spec));
            addRows(table, help.subcommands(), prefix + name + " ");
        });
    }
}
