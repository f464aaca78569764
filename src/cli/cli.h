/* cli.h - ccon's scriptable face: `ccon [OPTION]... SUBCOMMAND [ARG]...`
 * on the console's own libccon model, codecs and validators (ccon(1),
 * SUBCOMMANDS). */
#ifndef CCON_CLI_CLI_H
#define CCON_CLI_CLI_H

/* Where the subcommand word is in argv, or 0 when the command line is the
 * console's. The first argument that is not an option (nor an option's
 * value) is a subcommand when it names one and holds no '/' and does not
 * end in ".csv": `ccon ./campaigns` previews a file called campaigns. */
int cli_subcommand_at(int argc, char **argv);
/* Runs the subcommand at argv[sub]; the exit status (exit.h). */
int cli_main(int argc, char **argv, int sub);

#endif
