// Chatroulette page for control-ts/examples/chatroulette.ts, on the stock janus.js.
// Protocol: {name} + offer to join (answer comes back with {result: "ok"}), {reject: true};
// events {matched: false} (alone: you see yourself) and {matched: true, peer, name}.
var janus = null;
var roulette = null; // the plugin handle (the tests read its PeerConnection stats)
var myname = null;
var peername = null;
var remoteStream = null;

function getQueryStringValue(name) {
	var match = new RegExp('[?&]' + name + '=([^&#]*)').exec(location.search);
	return match ? decodeURIComponent(match[1].replace(/\+/g, ' ')) : '';
}

function setStatus(text) {
	$('#status').text(text);
}

function log(line) {
	var box = $('#chatlog');
	box.text(box.text() + line + '\n');
	box.scrollTop(box.prop('scrollHeight'));
}

function onMessage(msg, jsep) {
	if(jsep)
		roulette.handleRemoteJsep({ jsep: jsep });
	if(msg.error) {
		log('! ' + msg.error + ' (' + msg.error_code + ')');
		return;
	}
	if(msg.matched === true) {
		peername = msg.name;
		$('#peername').text(peername);
		setStatus('Matched with ' + peername);
		$('#reject').removeAttr('disabled');
		log('* you are now with ' + peername);
	} else if(msg.matched === false) {
		peername = null;
		$('#peername').text('');
		setStatus('Waiting for someone… (this is you)');
		$('#reject').attr('disabled', true);
	}
}

function onRemoteTrack(track, mid, on) {
	if(!on)
		return;
	if(!remoteStream) {
		remoteStream = new MediaStream();
		Janus.attachMediaStream($('#remotevideo').get(0), remoteStream);
	}
	remoteStream.addTrack(track);
}

function onLocalTrack(track, on) {
	if(on && track.kind === 'video')
		Janus.attachMediaStream($('#localvideo').get(0), new MediaStream([track]));
}

function join() {
	myname = $('#name').val().trim();
	if(!myname)
		return;
	$('#join').attr('disabled', true);
	$('#name').attr('disabled', true);
	$('#room').removeClass('hide');
	roulette.createOffer({
		tracks: [
			{ type: 'audio', capture: true, recv: true },
			{ type: 'video', capture: true, recv: true },
			{ type: 'data' },
		],
		success: function(jsep) {
			roulette.send({ message: { name: myname }, jsep: jsep });
		},
		error: function(error) {
			log('! WebRTC error: ' + (error.message || error));
		},
	});
}

function sendChat() {
	var text = $('#chatinput').val();
	if(!text)
		return;
	roulette.data({
		text: text,
		success: function() {
			log(myname + ': ' + text);
			$('#chatinput').val('');
		},
		error: function(reason) { log('! ' + reason); },
	});
}

function onData(data) {
	log((peername || '?') + ': ' + data);
}

function attach() {
	janus.attach({
		plugin: getQueryStringValue('plugin') || 'janus.plugin.chatroulette',
		opaqueId: 'chatroulette-' + Janus.randomString(12),
		success: function(handle) {
			roulette = handle;
			$('#details').addClass('hide');
			$('#login').removeClass('hide');
			$('#name').focus();
		},
		error: function(error) { alert('Error attaching the plugin: ' + error); },
		onmessage: onMessage,
		onlocaltrack: onLocalTrack,
		onremotetrack: onRemoteTrack,
		ondataopen: function() { $('#chatinput').removeAttr('disabled'); },
		ondata: onData,
		oncleanup: function() {
			setStatus('Disconnected');
			$('#reject').attr('disabled', true);
			$('#chatinput').attr('disabled', true);
			remoteStream = null;
		},
	});
}

$(document).ready(function() {
	Janus.init({ debug: 'all', callback: function() {
		$('#start').one('click', function() {
			$(this).attr('disabled', true);
			janus = new Janus({
				server: server, iceServers: iceServers, token: token, apisecret: apisecret,
				success: attach,
				error: function(error) { alert(error); },
				destroyed: function() { window.location.reload(); },
			});
		});
		$('#join').click(join);
		$('#name').keypress(function(e) { if(e.which === 13) join(); });
		$('#chatinput').keypress(function(e) { if(e.which === 13) sendChat(); });
		$('#reject').click(function() {
			$('#reject').attr('disabled', true);
			roulette.send({ message: { reject: true } });
		});
	}});
});
