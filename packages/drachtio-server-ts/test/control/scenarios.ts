/**
 * sipp scenarios for the end-to-end tests of the control plane, as XML text (the test-kit's
 * sipp runner accepts XML directly). sipp is always the caller here.
 */

const SDP = `v=0
      o=sipp 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0`;

const INVITE = invite('');

function invite(extraHeaders: string): string {
  return `
  <send retrans="500">
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70${extraHeaders}
      Content-Type: application/sdp
      Content-Length: [len]

      ${SDP}

    ]]>
  </send>
  <recv response="100" optional="true"/>`;
}

function inDialog(method: string, cseq: number): string {
  return `
  <send${method === 'ACK' ? '' : ' retrans="500"'}>
    <![CDATA[

      ${method} sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>`;
}

/** sipp's 200 to the request it just received (a CANCEL, a BYE). */
const OK_TO_LAST_REQUEST = `
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>`;

function scenario(name: string, body: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="${name}">${body}
</scenario>`;
}

/** INVITE answered (ringing optional) and ACKed: the start of every established call. */
const ANSWERED_CALL = `${INVITE}
  <recv response="180" optional="true"/>
  <recv response="200" rtd="true"/>
  ${inDialog('ACK', 1)}`;

/** INVITE / 200 / ACK / BYE / 200: a whole call answered by an application. */
export const CALL = scenario(
  'call',
  `${ANSWERED_CALL}
  ${inDialog('BYE', 2)}
  <recv response="200"/>`,
);

/**
 * The ACK to a non-2xx final response: part of the INVITE transaction, so it reuses the
 * INVITE's branch, which sipp names by how many messages back the INVITE was sent.
 */
function ackToFailure(messagesBack: number): string {
  return `
  <send>
    <![CDATA[

      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-${messagesBack}]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>`;
}

/** An INVITE turned away with `status`, then the ACK for it (same branch as the INVITE). */
export function rejectedCall(status: number): string {
  return scenario(
    `rejected ${status}`,
    `${INVITE}
  <recv response="${status}"/>
${ackToFailure(3)}`,
  );
}

/**
 * A call that waits, after the ACK, for a NOTIFY the test sends straight to sipp: the test's
 * signal that the application side is ready for the BYE. The BYE must then get `byeStatus`.
 */
export function callWithByeAfterSignal(byeStatus: number): string {
  return scenario(
    'call with signalled BYE',
    `${INVITE}
  <recv response="200" rtd="true"/>
  ${inDialog('ACK', 1)}
  <recv request="NOTIFY"/>
  ${inDialog('BYE', 2)}
  <recv response="${byeStatus}"/>`,
  );
}

/** sipp gives up while it rings: INVITE / 180 / CANCEL / 200 / 487 / ACK. */
export const CANCELED_CALL = scenario(
  'canceled call',
  `${INVITE}
  <recv response="180"/>
  <send retrans="500">
    <![CDATA[

      CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-3]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 CANCEL
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
  <recv response="487"/>
${ackToFailure(6)}`,
);

/** RFC 3262 with sipp as the caller: it PRACKs the application's reliable 183, then the call proceeds. */
export const PRACKED_CALL = scenario(
  'pracked call',
  `${invite(`
      Supported: 100rel`)}
  <recv response="183">
    <action>
      <ereg regexp="([0-9]+)" search_in="hdr" header="RSeq:" assign_to="rseq"/>
    </action>
  </recv>
  <send retrans="500">
    <![CDATA[

      PRACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 PRACK
      Max-Forwards: 70
      RAck: [$rseq] 1 INVITE
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
  <recv response="200" rtd="true"/>
  ${inDialog('ACK', 1)}
  ${inDialog('BYE', 3)}
  <recv response="200"/>`,
);

/** sipp as the called party that rings until the caller cancels: 180, then 200 to CANCEL and 487. */
export const RINGING_UNTIL_CANCELED = scenario(
  'ringing until canceled',
  `
  <recv request="INVITE">
    <action>
      <ereg regexp="([0-9]+)" search_in="hdr" header="CSeq:" assign_to="cseq"/>
    </action>
  </recv>
  <send>
    <![CDATA[

      SIP/2.0 180 Ringing
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

    ]]>
  </send>
  <recv request="CANCEL"/>
${OK_TO_LAST_REQUEST}
  <send>
    <![CDATA[

      SIP/2.0 487 Request Terminated
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      CSeq: [$cseq] INVITE
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK"/>`,
);

/** A call sipp never hangs up: it waits for the far end's BYE and answers it (a drain's BYE). */
export const CALL_ENDED_BY_SERVER = scenario(
  'call ended by the server',
  `${ANSWERED_CALL}
  <recv request="BYE"/>
${OK_TO_LAST_REQUEST}`,
);

/** An INVITE refused with 503 that must carry a Retry-After (a draining server), then its ACK. */
export const REFUSED_WITH_RETRY_AFTER = scenario(
  'refused while draining',
  `${INVITE}
  <recv response="503">
    <action>
      <ereg regexp="[0-9]+" search_in="hdr" header="Retry-After:" check_it="true" assign_to="retry"/>
    </action>
  </recv>
  <Reference variables="retry"/>
${ackToFailure(3)}`,
);
