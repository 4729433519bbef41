/**
 * The cdln command-line tool: picocli commands (reproduce, analyze, report, complete, recommend,
 * evaluate, bench, …), the one place where library settings become flags ({@link org.cdln.cli.SettingOptions})
 * and library errors become one-line messages ({@link org.cdln.cli.CliErrors}).
 */
package org.cdln.cli;
