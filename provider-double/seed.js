'use strict';
// What the double knows: live calls, agents and departments shaped like the provider's
// answers (see ../shared/reference/provider-api.md in the steering repo, and README).

const LIVE_CALLS = [
	{
		id: 'c1',
		call_id: '1758782566.8131',
		direction: 'inbound',
		source: '9876500001',
		did: '8049990000',
		destination: '0502842370097',
		state: 'answered',
		agent_name: 'Asha Rao',
		customer_number: '9876500001',
		call_time: '00:02:41',
	},
	{
		id: 'c2',
		call_id: '1758782590.8130',
		direction: 'inbound',
		source: '9876500002',
		did: '8049990000',
		destination: '0502842370098',
		state: 'answered',
		agent_name: 'Vikram Shah',
		customer_number: '9876500002',
		call_time: '00:14:05',
	},
	{
		id: 'c3',
		call_id: '1758782601.350603',
		direction: 'outbound',
		source: '0502842370099',
		did: '8049990001',
		destination: '9876500003',
		state: 'ringing',
		agent_name: '',
		customer_number: '9876500003',
		call_time: '00:00:07',
	},
];

const FIRST_NAMES = ['Asha', 'Vikram', 'Meera', 'Rohan', 'Priya', 'Kabir', 'Neha', 'Arjun', 'Isha', 'Dev'];
const STATUSES = ['online', 'busy', 'offline'];

/** 120 agents: more than two pages of 50, so list searches must follow the cursor. */
const USERS = Array.from({ length: 120 }, (_, index) => {
	const agentId = `05028423${String(70097 + index).padStart(5, '0')}`;
	const name = `${FIRST_NAMES[index % FIRST_NAMES.length]} ${index < 10 ? ['Rao', 'Shah', 'Iyer', 'Das', 'Nair', 'Khan', 'Gill', 'Bose', 'Jain', 'Sen'][index] : `Agent ${index + 1}`}`;
	return {
		id: String(1000 + index),
		name,
		email: `agent${index + 1}@example.test`,
		extension: String(100 + index),
		agent: {
			id: agentId,
			name,
			status: STATUSES[index % STATUSES.length],
			follow_me_number: `91960${String(10000 + index).padStart(5, '0')}`,
			intercom: String(2000 + index),
		},
	};
});

const DEPARTMENTS = [
	{ id: 'd1', name: 'Sales', description: 'Inbound sales', ring_strategy: 'round_robin', agent_count: 3, intercom: '80124', agents: USERS.slice(0, 3).map((user) => user.agent.id) },
	{ id: 'd2', name: 'Support', description: 'Tier 1 support', ring_strategy: 'ring_all', agent_count: 2, intercom: '80125', agents: USERS.slice(3, 5).map((user) => user.agent.id) },
];

/**
 * Finished calls already in the call records when the double starts (or is reset), dated
 * relative to that moment: two answered with a recording, one missed.
 */
const CALL_RECORDS = [
	{ startedAgoSeconds: 50 * 60, direction: 'outbound', agent_name: 'Vikram Shah', agent_number: '0502842370098', client_number: '9876500011', answered_seconds: 312 },
	{ startedAgoSeconds: 25 * 60, agent_name: 'Asha Rao', client_number: '9876500012', answered_seconds: 192 },
	{ startedAgoSeconds: 12 * 60, answered: false, client_number: '9876500013' },
];

module.exports = { LIVE_CALLS, USERS, DEPARTMENTS, CALL_RECORDS };
