import { ValidationOptions, registerDecorator } from 'class-validator';

/** Metadata: at most 50 string keys (≤ 40 chars) with string values (≤ 500 chars). */
export function IsMetadata(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isMetadata',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: '$property must be an object of at most 50 string keys (40 characters) and string values (500)',
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.keys(value).length <= 50 &&
          Object.entries(value).every(([k, v]) => k.length <= 40 && typeof v === 'string' && v.length <= 500),
      },
    });
}
