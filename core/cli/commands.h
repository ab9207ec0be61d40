/* commands.h - the commands main() dispatches to; each takes its own
 * argv (argv[0] is the command's name) and returns the exit status
 * (private to the CLI). */
#ifndef SCR_CLI_COMMANDS_H
#define SCR_CLI_COMMANDS_H

int cmd_convert(int argc, char **argv);
int cmd_formats(int argc, char **argv);
int cmd_persons(int argc, char **argv);
int cmd_validate(int argc, char **argv);

#endif
