/** The writers of every command output: summary.json, trajectory.csv, PNG/SVG figures, the HTML report and the printed tables. */
package org.cdln.cli.report;
