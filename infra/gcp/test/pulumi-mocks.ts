// Pulumi mocks for component tests: no cloud, no CLI. Records every resource the program
// registers (type, name, inputs) and answers the provider functions the components call.
// Call `installMocks()` before importing the components.
import * as pulumi from '@pulumi/pulumi';

export const testProject = 'test-project';
export const gcsAgentEmail = 'service-123456@gs-project-accounts.iam.gserviceaccount.com';
export const projectNumber = '123456';

export interface RecordedResource {
  type: string;
  name: string;
  // Inputs as the engine saw them (outputs resolved), so any shape.
  inputs: Record<string, any>;
}

export interface Recorder {
  readonly resources: RecordedResource[];
  /** Resources of `type` whose logical name starts with `prefix`. */
  of(type: string, prefix: string): RecordedResource[];
  /** Every resource whose logical name starts with `prefix`. */
  under(prefix: string): RecordedResource[];
  /** Waits until registrations stop arriving. */
  settle(): Promise<void>;
}

function state(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const project = inputs['project'] ?? testProject;
  switch (type) {
    case 'gcp:serviceaccount/account:Account': {
      const email = `${inputs['accountId']}@${project}.iam.gserviceaccount.com`;
      return { ...inputs, email, member: `serviceAccount:${email}` };
    }
    case 'gcp:cloudrunv2/service:Service':
      return { ...inputs, uri: `https://${inputs['name']}-${inputs['location']}.run.app` };
    case 'random:index/randomString:RandomString':
      return { ...inputs, result: 'abc123' };
    case 'gcp:monitoring/alertPolicy:AlertPolicy':
    case 'gcp:monitoring/dashboard:Dashboard':
      return { ...inputs, name: `projects/${project}/things/${name}` };
    default:
      return { ...inputs, name: inputs['name'] ?? name };
  }
}

function id(type: string, name: string, inputs: Record<string, any>): string {
  const project = inputs['project'] ?? testProject;
  if (type === 'gcp:pubsub/topic:Topic') return `projects/${project}/topics/${inputs['name']}`;
  if (type === 'gcp:pubsub/subscription:Subscription') {
    return `projects/${project}/subscriptions/${inputs['name']}`;
  }
  return `${name}-id`;
}

export async function installMocks(): Promise<Recorder> {
  const resources: RecordedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        return {
          id: id(args.type, args.name, args.inputs),
          state: state(args.type, args.name, args.inputs),
        };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        switch (args.token) {
          case 'gcp:storage/getProjectServiceAccount:getProjectServiceAccount':
            return { emailAddress: gcsAgentEmail, member: `serviceAccount:${gcsAgentEmail}` };
          case 'gcp:organizations/getProject:getProject':
            return { number: projectNumber, projectId: args.inputs['projectId'] ?? testProject };
          case 'gcp:cloudrunv2/getService:getService':
            return {
              name: args.inputs['name'],
              uri: `https://${args.inputs['name']}-${args.inputs['location']}.run.app`,
            };
          default:
            return args.inputs;
        }
      },
    },
    'recon-test',
    'test',
    false,
  );
  return {
    resources,
    of: (type, prefix) => resources.filter((r) => r.type === type && r.name.startsWith(prefix)),
    under: (prefix) => resources.filter((r) => r.name.startsWith(prefix)),
    async settle() {
      // Registration is promise chains in-process: wait until a run of event-loop turns adds
      // nothing. No timers, no wall-clock sleeps.
      let stable = 0;
      let seen = -1;
      for (let turn = 0; turn < 10_000 && stable < 20; turn++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        stable = resources.length === seen ? stable + 1 : 0;
        seen = resources.length;
      }
    },
  };
}

/** The value of an output (mocks never leave one unknown). */
export function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply((value) => done(value)));
}

/** The plain value of an input the provider marks secret (the mocks see it wrapped). */
export function secretValue(input: unknown): { secret: boolean; value: unknown } {
  if (typeof input === 'object' && input !== null) {
    const wrapped = input as Record<string, unknown>;
    if (wrapped[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
      return { secret: true, value: wrapped['value'] };
    }
  }
  return { secret: false, value: input };
}

/** Cloud Run container env list → { NAME: value }. */
export function envOf(container: {
  envs?: { name: string; value?: string }[];
}): Record<string, string | undefined> {
  return Object.fromEntries((container.envs ?? []).map((e) => [e.name, e.value]));
}

export const types = {
  bucket: 'gcp:storage/bucket:Bucket',
  bucketIam: 'gcp:storage/bucketIAMMember:BucketIAMMember',
  notification: 'gcp:storage/notification:Notification',
  topic: 'gcp:pubsub/topic:Topic',
  topicIam: 'gcp:pubsub/topicIAMMember:TopicIAMMember',
  subscription: 'gcp:pubsub/subscription:Subscription',
  subscriptionIam: 'gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember',
  service: 'gcp:cloudrunv2/service:Service',
  serviceIam: 'gcp:cloudrunv2/serviceIamMember:ServiceIamMember',
  job: 'gcp:cloudrunv2/job:Job',
  jobIam: 'gcp:cloudrunv2/jobIamMember:JobIamMember',
  scheduler: 'gcp:cloudscheduler/job:Job',
  account: 'gcp:serviceaccount/account:Account',
  projectIam: 'gcp:projects/iAMMember:IAMMember',
  secret: 'gcp:secretmanager/secret:Secret',
  secretVersion: 'gcp:secretmanager/secretVersion:SecretVersion',
  secretIam: 'gcp:secretmanager/secretIamMember:SecretIamMember',
  random: 'random:index/randomString:RandomString',
  alert: 'gcp:monitoring/alertPolicy:AlertPolicy',
  dashboard: 'gcp:monitoring/dashboard:Dashboard',
} as const;

/** Every IAM member resource the mocks saw. */
export function iamMembers(resources: readonly RecordedResource[]): RecordedResource[] {
  return resources.filter((r) =>
    /IAMMember|IamMember|IamBinding|IAMBinding|IamPolicy|IAMPolicy/.test(r.type),
  );
}
