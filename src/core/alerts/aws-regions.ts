// CloudWatch alarm messages name the region in words ("US East (N. Virginia)"), while routes and
// targets use codes (us-east-1). Names appear both as "EU (Ireland)" (older) and "Europe (Ireland)".

const REGION_NAMES: Record<string, string> = {
  'us east n virginia': 'us-east-1',
  'us east ohio': 'us-east-2',
  'us west n california': 'us-west-1',
  'us west oregon': 'us-west-2',
  'africa cape town': 'af-south-1',
  'asia pacific hong kong': 'ap-east-1',
  'asia pacific taipei': 'ap-east-2',
  'asia pacific tokyo': 'ap-northeast-1',
  'asia pacific seoul': 'ap-northeast-2',
  'asia pacific osaka': 'ap-northeast-3',
  'asia pacific osaka local': 'ap-northeast-3',
  'asia pacific mumbai': 'ap-south-1',
  'asia pacific hyderabad': 'ap-south-2',
  'asia pacific singapore': 'ap-southeast-1',
  'asia pacific sydney': 'ap-southeast-2',
  'asia pacific jakarta': 'ap-southeast-3',
  'asia pacific melbourne': 'ap-southeast-4',
  'asia pacific malaysia': 'ap-southeast-5',
  'asia pacific new zealand': 'ap-southeast-6',
  'asia pacific thailand': 'ap-southeast-7',
  'canada central': 'ca-central-1',
  'canada west calgary': 'ca-west-1',
  'eu frankfurt': 'eu-central-1',
  'eu zurich': 'eu-central-2',
  'eu stockholm': 'eu-north-1',
  'eu milan': 'eu-south-1',
  'eu spain': 'eu-south-2',
  'eu ireland': 'eu-west-1',
  'eu london': 'eu-west-2',
  'eu paris': 'eu-west-3',
  'israel tel aviv': 'il-central-1',
  'mexico central': 'mx-central-1',
  'middle east uae': 'me-central-1',
  'middle east bahrain': 'me-south-1',
  'south america sao paulo': 'sa-east-1',
  'aws govcloud us east': 'us-gov-east-1',
  'aws govcloud us west': 'us-gov-west-1',
  'aws govcloud us': 'us-gov-west-1',
  'china beijing': 'cn-north-1',
  'china ningxia': 'cn-northwest-1',
};

const REGION_CODE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** "US East (N. Virginia)" → "us-east-1"; a code passes through; unknown names → undefined. */
export function awsRegionCode(nameOrCode: string): string | undefined {
  const trimmed = nameOrCode.trim();
  if (REGION_CODE.test(trimmed)) return trimmed;
  const key = trimmed
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/^europe\b/, 'eu')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return Object.hasOwn(REGION_NAMES, key) ? REGION_NAMES[key] : undefined;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

/** arn:partition:service:region:account:resource (the resource may itself contain colons). */
export function parseArn(arn: string): ParsedArn | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}
