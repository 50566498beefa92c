import { ValidationOptions, registerDecorator } from 'class-validator';
import { isCurrency } from '../../../libs/money/src/index.js';

/** An ISO 4217 code in lower case, as the API writes currencies. */
export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isCurrencyCode',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a lower-case ISO 4217 currency code such as "usd"', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && isCurrency(value) },
    });
}
