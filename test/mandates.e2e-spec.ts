import { auth, signUp, signUpVerifiedReceiver } from './support/factories.js';
import { charge, fundedPayer, grantMandate } from './support/payment-factories.js';
import { startTestApp, TestApp } from './support/test-app.js';

describe('agents and mandates', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('registers agents and lists them for their owner only', async () => {
    const payer = await signUp(t, { capabilities: ['pay'] });
    const agent = await t.http
      .post('/v1/agents')
      .set(auth(payer))
      .send({ name: 'Travel booker', framework: 'langgraph', vendor: 'openai', public_key: 'ssh-ed25519 AAAA' })
      .expect(201);
    expect(agent.body).toMatchObject({ object: 'agent', name: 'Travel booker', framework: 'langgraph' });
    const listed = await t.http.get('/v1/agents').set(auth(payer)).expect(200);
    expect(listed.body.data.map((a: { id: string }) => a.id)).toEqual([agent.body.id]);
    await t.http.get(`/v1/agents/${agent.body.id}`).set(auth(payer)).expect(200);
    const stranger = await signUp(t);
    await t.http.get(`/v1/agents/${agent.body.id}`).set(auth(stranger)).expect(404);
    expect((await t.http.get('/v1/agents').set(auth(stranger)).expect(200)).body.data).toEqual([]);
  });

  it('grants a mandate that the payee sees in its own view and nobody else sees at all', async () => {
    const payer = await fundedPayer(t);
    const receiver = await signUpVerifiedReceiver(t);
    const agent = (await t.http.post('/v1/agents').set(auth(payer)).send({ name: 'Researcher' }).expect(201)).body;
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const mandate = await grantMandate(t, payer, {
      payee: receiver.id,
      agent: agent.id,
      max_amount_per_payment: '5.00',
      max_amount_per_day: '20.00',
      total_budget: '50.00',
      confirmation_threshold: '2.00',
      expires_at: expiresAt,
      metadata: { team: 'research' },
    });
    expect(mandate).toMatchObject({
      object: 'mandate',
      agent: agent.id,
      allowed_payees: [receiver.id],
      payer: payer.id,
      max_amount_per_payment: '5.00',
      max_amount_per_day: '20.00',
      total_budget: '50.00',
      remaining_budget: '50.00',
      spent_today: '0.00',
      spent_total: '0.00',
      confirmation_threshold: '2.00',
      expires_at: expiresAt,
      status: 'active',
      metadata: { team: 'research' },
    });

    const asPayee = await t.http.get(`/v1/mandates/${mandate.id}`).set(auth(receiver)).expect(200);
    expect(asPayee.body).toMatchObject({ id: mandate.id, remaining_budget: '50.00', allowed_payees: [receiver.id] });
    expect(asPayee.body).not.toHaveProperty('metadata');
    expect(asPayee.body).not.toHaveProperty('agent');
    const payeeList = await t.http.get('/v1/mandates?role=payee').set(auth(receiver)).expect(200);
    expect(payeeList.body.data.map((m: { id: string }) => m.id)).toEqual([mandate.id]);
    expect((await t.http.get('/v1/mandates?role=payer').set(auth(receiver)).expect(200)).body.data).toEqual([]);

    const stranger = await signUp(t);
    await t.http.get(`/v1/mandates/${mandate.id}`).set(auth(stranger)).expect(404);
    await t.http.post(`/v1/mandates/${mandate.id}/revoke`).set(auth(stranger)).expect(404);
    expect((await t.http.get('/v1/mandates').set(auth(stranger)).expect(200)).body.data).toEqual([]);
  });

  it('allows several payees through allowed_payees', async () => {
    const payer = await fundedPayer(t);
    const first = await signUpVerifiedReceiver(t);
    const second = await signUpVerifiedReceiver(t);
    const mandate = await grantMandate(t, payer, { payee: first.id, allowed_payees: [second.id] });
    expect(mandate.allowed_payees.sort()).toEqual([first.id, second.id].sort());
    expect((await charge(t, first, mandate.id, '1.00')).status).toBe('succeeded');
    expect((await charge(t, second, mandate.id, '1.00')).status).toBe('succeeded');
  });

  it('revokes at once: the payee cannot revoke, and later payments are declined', async () => {
    const payer = await fundedPayer(t);
    const receiver = await signUpVerifiedReceiver(t);
    const mandate = await grantMandate(t, payer, { payee: receiver.id });
    await t.http.post(`/v1/mandates/${mandate.id}/revoke`).set(auth(receiver)).expect(404);
    const revoked = await t.http.post(`/v1/mandates/${mandate.id}/revoke`).set(auth(payer)).expect(200);
    expect(revoked.body.status).toBe('revoked');
    const payment = await charge(t, receiver, mandate.id, '1.00');
    expect(payment).toMatchObject({ status: 'failed', decline_code: 'mandate_revoked' });
  });

  describe('rejects bad terms with a stable code and param', () => {
    let payer: Awaited<ReturnType<typeof fundedPayer>>;
    let receiver: Awaited<ReturnType<typeof signUpVerifiedReceiver>>;
    beforeAll(async () => {
      payer = await fundedPayer(t, '0');
      receiver = await signUpVerifiedReceiver(t);
    });

    it.each([
      [
        { max_amount_per_payment: '60.00', total_budget: '50.00' },
        'mandate_limits_inconsistent',
        'max_amount_per_payment',
      ],
      [
        { max_amount_per_payment: '30.00', max_amount_per_day: '20.00' },
        'mandate_limits_inconsistent',
        'max_amount_per_payment',
      ],
      [{ expires_at: 1_000_000 }, 'expires_at_in_past', 'expires_at'],
      [{ total_budget: '0' }, 'zero_amount', 'total_budget'],
      [{ max_amount_per_day: '-1' }, 'negative_amount', 'max_amount_per_day'],
      [{ max_amount_per_payment: '0.0000000001' }, 'too_many_decimals', 'max_amount_per_payment'],
      [{ currency: 'xyz' }, 'parameter_invalid', 'currency'],
      [{ agent: 'agt_unknown' }, 'resource_missing', 'agent'],
    ])('%o → %s', async (terms, code, param) => {
      const response = await t.http
        .post('/v1/mandates')
        .set(auth(payer))
        .send({ currency: 'usd', description: 'x', payee: receiver.id, ...terms });
      expect([400, 404]).toContain(response.status);
      expect(response.body.error).toMatchObject({ code, param });
    });

    it('needs a payee that exists and is not the payer', async () => {
      const none = await t.http.post('/v1/mandates').set(auth(payer)).send({ currency: 'usd', description: 'x' });
      expect(none.body.error).toMatchObject({ code: 'parameter_missing', param: 'payee' });
      const self = await t.http
        .post('/v1/mandates')
        .set(auth(payer))
        .send({ currency: 'usd', description: 'x', payee: payer.id });
      expect(self.body.error).toMatchObject({ code: 'payee_invalid', param: 'payee' });
      const unknown = await t.http
        .post('/v1/mandates')
        .set(auth(payer))
        .send({ currency: 'usd', description: 'x', payee: 'acct_nobody' })
        .expect(404);
      expect(unknown.body.error).toMatchObject({ code: 'resource_missing', param: 'payee' });
    });

    it("refuses another payer's agent", async () => {
      const other = await signUp(t, { capabilities: ['pay'] });
      const agent = (await t.http.post('/v1/agents').set(auth(other)).send({ name: 'theirs' }).expect(201)).body;
      const response = await t.http
        .post('/v1/mandates')
        .set(auth(payer))
        .send({ currency: 'usd', description: 'x', payee: receiver.id, agent: agent.id })
        .expect(404);
      expect(response.body.error.param).toBe('agent');
    });
  });
});
