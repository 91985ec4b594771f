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

const INVITE = `
  <send retrans="500">
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:sipp@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      ${SDP}

    ]]>
  </send>
  <recv response="100" optional="true"/>`;

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

function scenario(name: string, body: string): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="${name}">${body}
</scenario>`;
}

/** INVITE / 200 / ACK / BYE / 200: a whole call answered by an application. */
export const CALL = scenario(
  'call',
  `${INVITE}
  <recv response="180" optional="true"/>
  <recv response="200" rtd="true"/>
  ${inDialog('ACK', 1)}
  ${inDialog('BYE', 2)}
  <recv response="200"/>`,
);

/** An INVITE turned away with `status`, then the ACK for it (same branch as the INVITE). */
export function rejectedCall(status: number): string {
  return scenario(
    `rejected ${status}`,
    `${INVITE}
  <recv response="${status}"/>
  <send>
    <![CDATA[

      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-3]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>`,
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
