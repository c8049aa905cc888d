<?php
/**
 * A batch endpoint for the acceptance tests of the http dispatch kind, in the manner of a wiki farm's job-runner
 * entry point: POST ?wiki=<DB domain ID>&type=<job type>&maxtime=<s>&maxmem=<limit> runs one batch of the wiki's
 * jobs of that type with MediaWiki's own JobRunner and answers its result as JSON, the same document as
 * `runJobs.php --result=json`. The wiki's settings come from MW_CONFIG_FILE in the server's environment; a
 * request for another wiki gets 404.
 */
if ( ( $_SERVER['REQUEST_METHOD'] ?? '' ) !== 'POST' ) {
	http_response_code( 405 );
	exit;
}
define( 'MEDIAWIKI_JOB_RUNNER', 1 );
define( 'MW_NO_SESSION', 1 );
require '/usr/share/mediawiki/includes/WebStart.php';

use MediaWiki\MediaWikiServices;

$wiki = WikiMap::getCurrentWikiDbDomain()->getId();
if ( ( $_GET['wiki'] ?? '' ) !== $wiki ) {
	http_response_code( 404 );
	echo "this endpoint serves wiki $wiki only\n";
	exit;
}
if ( isset( $_GET['maxmem'] ) ) {
	ini_set( 'memory_limit', $_GET['maxmem'] );
}
ignore_user_abort( true );
$result = MediaWikiServices::getInstance()->getJobRunner()->run( [
	'type' => $_GET['type'] ?? false,
	'maxTime' => (int)( $_GET['maxtime'] ?? 30 ),
] );
header( 'Content-Type: application/json' );
echo json_encode( $result, JSON_PRETTY_PRINT ), "\n";
